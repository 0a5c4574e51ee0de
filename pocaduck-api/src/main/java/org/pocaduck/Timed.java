package org.pocaduck;

import java.util.Objects;

/**
 * A query result with the timing of the call that produced it.
 *
 * @param result the result, as the untimed form of the operation returns it
 * @param timing how the call spent its time
 * @param <T> the result type
 */
public record Timed<T>(T result, QueryTiming timing) {
    public Timed {
        Objects.requireNonNull(result, "result is null");
        Objects.requireNonNull(timing, "timing is null");
    }
}
