package org.pocaduck.tabular;

import java.util.List;

/**
 * The three tables of one store and every SQL statement run on them, built once from validated
 * names and the payload encoding (see {@code docs/FORMAT.md}, section "tabular"). Labels, ids and
 * times are always parameters; names are validated and quoted. Immutable.
 *
 * <ul>
 *   <li>{@code <table>}: the points, one or more rows per (worker, label, block);</li>
 *   <li>{@code <table>_commits}: one row per committed worker run (its commit marker);</li>
 *   <li>{@code <table>_meta}: key/value rows: format, encoding, compression, dimensions.</li>
 * </ul>
 */
final class TableLayout {
    /** Column order of the points table, as {@link StoredRow} holds them. */
    static final List<String> POINT_COLUMNS = List.of("label", "block_id", "chunk", "point_count", "dimensions",
            "payload_bytes", "worker_id", "generation");

    static final String FORMAT = "pocaduck-tabular/1";

    private final String schema;
    private final String table;
    private final String points;
    private final String commits;
    private final String meta;
    private final PayloadEncoding encoding;
    private final String visible;

    TableLayout(Dialect dialect, String schema, String table, PayloadEncoding encoding) {
        this.schema = schema;
        this.table = table;
        this.points = dialect.qualifiedTable(schema, table);
        this.commits = dialect.qualifiedTable(schema, commitsName(table));
        this.meta = dialect.qualifiedTable(schema, metaName(table));
        this.encoding = encoding;
        // Per worker, the highest generation committed at or before the snapshot (the one parameter).
        this.visible = "SELECT worker_id, max(generation) AS generation FROM " + commits
                + " WHERE committed_at <= ? GROUP BY worker_id";
    }

    /** @return the distinct worker ids with a commit marker */
    String selectCommittedWorkers() {
        return "SELECT DISTINCT worker_id FROM " + commits;
    }

    static String commitsName(String table) {
        return table + "_commits";
    }

    static String metaName(String table) {
        return table + "_meta";
    }

    String schema() {
        return schema;
    }

    String table() {
        return table;
    }

    String pointsTable() {
        return points;
    }

    PayloadEncoding encoding() {
        return encoding;
    }

    /** @return the column list of an insert into the points table */
    String insertColumns() {
        return String.join(", ", POINT_COLUMNS) + ", " + encoding.column();
    }

    static List<String> createStatements(Dialect dialect, String schema, String table, PayloadEncoding encoding) {
        String payloadType = encoding == PayloadEncoding.PACKED ? dialect.binaryType() : dialect.bigintArrayType();
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS " + dialect.qualifiedSchema(schema),
                "CREATE TABLE IF NOT EXISTS " + dialect.qualifiedTable(schema, table) + " (label BIGINT, "
                        + "block_id VARCHAR, chunk INTEGER, point_count INTEGER, dimensions INTEGER, "
                        + "payload_bytes INTEGER, worker_id VARCHAR, generation BIGINT, " + encoding.column() + " "
                        + payloadType + ")" + dialect.pointsTableProperties(),
                "CREATE TABLE IF NOT EXISTS " + dialect.qualifiedTable(schema, commitsName(table))
                        + " (worker_id VARCHAR, generation BIGINT, committed_at BIGINT)",
                "CREATE TABLE IF NOT EXISTS " + dialect.qualifiedTable(schema, metaName(table))
                        + " (meta_key VARCHAR, meta_value VARCHAR)");
    }

    String selectMeta() {
        return "SELECT meta_key, meta_value FROM " + meta;
    }

    /** Parameters: key, value for each of {@code rows} rows, inserted by one statement. */
    String insertMeta(int rows) {
        return "INSERT INTO " + meta + " (meta_key, meta_value) VALUES "
                + String.join(", ", java.util.Collections.nCopies(rows, "(?, ?)"));
    }

    String insertCommit() {
        return "INSERT INTO " + commits + " (worker_id, generation, committed_at) VALUES (?, ?, ?)";
    }

    String deleteRun() {
        return "DELETE FROM " + points + " WHERE worker_id = ? AND generation = ?";
    }

    /** Rows older than their worker's newest committed run: never visible again. */
    List<String> deleteSuperseded() {
        return List.of(
                "DELETE FROM " + points + " WHERE generation < (SELECT max(c.generation) FROM " + commits
                        + " c WHERE c.worker_id = " + Dialect.quote(table) + ".worker_id)",
                "DELETE FROM " + commits + " WHERE generation < (SELECT max(d.generation) FROM " + commits
                        + " d WHERE d.worker_id = " + Dialect.quote(commitsName(table)) + ".worker_id)");
    }

    private String visibleRows() {
        return points + " p JOIN (" + visible + ") v ON p.worker_id = v.worker_id AND p.generation = v.generation";
    }

    /** Parameter: snapshot. Per worker, the run a query opened at that time sees. */
    String selectVisibleRuns() {
        return visible;
    }

    /*
     * Per-label statements are plain selections by label, with no join, grouping or sorting: on
     * Trino each extra stage costs tens of milliseconds, more than sorting a label's few hundred
     * rows in Java. Rows of every run come back; the query keeps those of its visible runs
     * (superseded runs are rare, and deleted where the catalog can).
     */

    /** Parameter: label. Reads the payloads. */
    String selectPoints() {
        return "SELECT worker_id, generation, block_id, chunk, point_count, dimensions, payload_bytes, "
                + encoding.column() + " FROM " + points + " WHERE label = ?";
    }

    /** Parameter: label. No payloads: what point counts and block lists are made of. */
    String selectSummary() {
        return "SELECT worker_id, generation, block_id, point_count FROM " + points + " WHERE label = ?";
    }

    /** Parameter: label. The points of some blocks: {@code blocks} more parameters, the block ids. */
    String selectPointsInBlocks(int blocks) {
        return selectPoints() + " AND block_id IN (" + String.join(", ", java.util.Collections.nCopies(blocks, "?"))
                + ")";
    }

    /**
     * Parameter: snapshot. One row per label: label, points, distinct blocks, in unsigned label
     * order: labels are stored as signed BIGINT, so 0..2^63-1 (non-negative) come first, then
     * 2^63..2^64-1 (negative), each ascending. No payloads.
     */
    String selectLabelSummaries() {
        return "SELECT p.label, sum(p.point_count), count(DISTINCT p.block_id) FROM " + visibleRows()
                + " GROUP BY p.label ORDER BY p.label < 0, p.label";
    }

    /**
     * Parameter: snapshot. What a label stream cuts its windows by: one row per label a predicate
     * on {@code p.label} keeps, (label, points, stored payload bytes), in unsigned label order,
     * counting every row of a run that started at or before the snapshot (every visible run did),
     * so both are upper bounds. Invisible runs only make a label look larger, so a window stays
     * within its bounds. Without the join on the visible runs and the distinct blocks the
     * statement costs Trino about half as much as {@link #selectLabelSummaries()} (166 against
     * 334 ms over gt_supervoxels).
     */
    String selectLabelSizes(String labelPredicate) {
        return "SELECT p.label, CAST(sum(p.point_count) AS BIGINT), CAST(sum(p.payload_bytes) AS BIGINT) FROM "
                + points + " p WHERE p.generation <= ? AND ("
                + labelPredicate + ") GROUP BY p.label ORDER BY p.label < 0, p.label";
    }

    /**
     * No parameters. Every row of the labels a predicate on {@code label} keeps (see
     * {@link LabelPredicates}): the columns of {@link #selectPoints()}, then the label.
     */
    String selectPointsOfLabels(String labelPredicate) {
        return "SELECT worker_id, generation, block_id, chunk, point_count, dimensions, payload_bytes, "
                + encoding.column() + ", label FROM " + points + " WHERE " + labelPredicate;
    }

    /** Parameter: snapshot. No payloads. */
    String selectLabelCount() {
        return "SELECT count(DISTINCT p.label) FROM " + visibleRows();
    }

    /** Parameters: snapshot. No payloads. */
    String selectStats() {
        return "SELECT count(DISTINCT label), sum(n), count(*), sum(b) FROM (SELECT p.label, p.block_id, "
                + "sum(p.point_count) AS n, sum(p.payload_bytes) AS b FROM " + visibleRows()
                + " GROUP BY p.label, p.block_id) pairs";
    }
}
