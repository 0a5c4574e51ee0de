package org.pocaduck.parquet.format;

/** The version string this library writes into manifests, indexes and Parquet footers. */
public final class WriterVersion {
    private WriterVersion() {
    }

    public static String get() {
        String version = WriterVersion.class.getPackage().getImplementationVersion();
        return "pocaduck-jvm backend-parquet-duckdb " + (version == null ? "0.1.0-SNAPSHOT" : version);
    }
}
