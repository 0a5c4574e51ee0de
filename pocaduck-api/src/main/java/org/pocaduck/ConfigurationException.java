package org.pocaduck;

/**
 * A storage configuration is invalid: an unknown storage type, an unknown or missing option,
 * an option value that does not parse, or two backends registered under one storage type.
 * The message names the key or type and the rule it breaks.
 */
public class ConfigurationException extends PocaDuckException {
    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
