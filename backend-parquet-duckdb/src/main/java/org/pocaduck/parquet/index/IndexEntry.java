package org.pocaduck.parquet.index;

/**
 * One index row: a contiguous run of one label's rows for one block in one data file.
 *
 * @param label the uint64 label
 * @param blockId the block id
 * @param file the data file's name relative to the store root
 * @param rowStart the first row of the run in the file (0-based)
 * @param pointCount the rows in the run
 */
public record IndexEntry(long label, String blockId, String file, long rowStart, long pointCount) {
}
