package org.pocaduck.options;

import org.pocaduck.StorageConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a byte size such as {@code 1GiB} the way storage options are read
 * ({@link StorageConfig#parseByteSize}). Stateless.
 */
public final class ByteSizeConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        try {
            return StorageConfig.parseByteSize(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' " + e.getMessage());
        }
    }
}
