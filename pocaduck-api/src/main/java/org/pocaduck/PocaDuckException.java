package org.pocaduck;

/**
 * Base type of every exception PoCADuck throws on its own account.
 *
 * <p>Messages follow the form "Cannot &lt;verb&gt; &lt;object&gt;: &lt;reason&gt;" and name the
 * offending value. Backend exceptions ({@code SQLException}, {@code IOException}, Parquet
 * exceptions) never escape a backend: they are wrapped in a subtype of this class with the
 * original kept as the cause. Argument errors use the JDK's {@link IllegalArgumentException},
 * {@link NullPointerException} and {@link IllegalStateException}.
 */
public class PocaDuckException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PocaDuckException(String message) {
        super(message);
    }

    public PocaDuckException(String message, Throwable cause) {
        super(message, cause);
    }
}
