package org.pocaduck.parquet.index;

/**
 * One committed data file.
 *
 * @param file its name relative to the store root
 * @param rowCount rows in it
 * @param byteSize its size in bytes
 */
public record DataFile(String file, long rowCount, long byteSize) {
}
