package org.pocaduck.cli;

import org.pocaduck.Labels;
import picocli.CommandLine.ITypeConverter;

/** Parses a LABEL argument as an unsigned 64-bit decimal ({@link Labels#parse}). */
final class LabelConverter implements ITypeConverter<Long> {
    @Override
    public Long convert(String value) {
        return Labels.parse(value);
    }
}
