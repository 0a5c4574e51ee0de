/**
 * Scans that outgrow one machine: {@link org.pocaduck.spark.SparkScan} runs the scan of
 * {@code pocaduck scan} as one Spark job into any store, and {@link org.pocaduck.spark.SparkScanMain}
 * is its {@code spark-submit} entry point.
 */
package org.pocaduck.spark;
