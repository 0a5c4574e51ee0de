package org.pocaduck.parquet;

/**
 * One committed data file.
 *
 * @param file its name relative to the store root
 * @param rowCount rows in it
 * @param byteSize its size in bytes
 */
record DataFile(String file, long rowCount, long byteSize) {
}
