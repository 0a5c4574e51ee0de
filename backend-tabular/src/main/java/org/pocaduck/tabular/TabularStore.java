package org.pocaduck.tabular;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.pocaduck.ConfigurationException;
import org.pocaduck.PointSchema;
import org.pocaduck.SchemaMismatchException;
import org.pocaduck.StorageException;
import org.pocaduck.StoreNotFoundException;
import org.pocaduck.WorkerBusyException;
import org.pocaduck.spi.BackendIngestor;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.spi.BackendStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open tabular store: its dialect, table layout and codec. Thread-safe. Data written by a
 * worker becomes visible when its commit marker is inserted, so {@link #consolidate()} only
 * removes rows that no query opened from now on can see (superseded runs), where the catalog can
 * delete.
 */
final class TabularStore implements BackendStore {
    private static final Logger LOG = LoggerFactory.getLogger(TabularStore.class);
    private static final String META_FORMAT = "format";
    private static final String META_ENCODING = "encoding";
    private static final String META_COMPRESSION = "compression";
    private static final String META_DIMENSIONS = "dimensions";

    private final SharedState shared;
    private final TabularSettings settings;
    /** Where workers stage Parquet files ({@code staging_location}), or null to insert rows. */
    private final StagingArea staging;
    private final Dialect dialect;
    private final TableLayout layout;
    private final RowCodec codec;
    private final String key;
    private final Object lock;
    private volatile boolean deletesUnsupported;
    private volatile PointSchema schema;

    private TabularStore(SharedState shared, TabularSettings settings, Dialect dialect, TableLayout layout,
            RowCodec codec, PointSchema schema, StagingArea staging) {
        this.shared = shared;
        this.staging = staging;
        this.settings = settings;
        this.dialect = dialect;
        this.layout = layout;
        this.codec = codec;
        this.key = settings.describe();
        this.lock = shared.monitor(key);
        this.schema = schema;
    }

    /**
     * Opens the store, creating schema and tables if asked (the setup step). A new store records
     * the declared point schema, if any, with its other metadata in one statement.
     *
     * @throws StoreNotFoundException if {@code create} is false and the tables do not exist
     * @throws ConfigurationException if the encoding or compression option differs from the table's
     * @throws StorageException if the engine cannot be reached or the tables cannot be created
     */
    static TabularStore open(SharedState shared, TabularSettings settings, Optional<PointSchema> declared,
            boolean create) {
        String where = settings.describe();
        Dialect dialect;
        try {
            if (settings.kind() == TabularSettings.Kind.DUCKDB) {
                dialect = DuckDbDialect.open(settings.duckdbFile(), create);
                if (dialect == null) {
                    throw new StoreNotFoundException("Cannot open tabular store " + where
                            + ": the DuckDB file does not exist");
                }
            } else {
                dialect = new TrinoDialect(settings);
            }
        } catch (SQLException e) {
            throw new StorageException("Cannot open tabular store " + where + ": " + e.getMessage(), e);
        }
        try {
            synchronized (shared.monitor(where)) {
                return openTables(shared, settings, dialect, declared, create);
            }
        } catch (RuntimeException e) {
            dialect.close();
            throw e;
        }
    }

    private static TabularStore openTables(SharedState shared, TabularSettings settings, Dialect dialect,
            Optional<PointSchema> declared, boolean create) {
        String where = settings.describe();
        try (Connection connection = dialect.connect()) {
            dialect.inspect(connection);
            if (settings.stagingLocation().isPresent() && dialect.fileRegistration().isEmpty()) {
                throw new ConfigurationException("Invalid option '" + TabularSettings.STAGING_LOCATION + "' for "
                        + "tabular store " + where + ": catalog '" + settings.catalog().orElse("") + "' cannot "
                        + "register Parquet files (its connector is "
                        + (dialect instanceof TrinoDialect trino ? "'" + trino.connector() + "'" : dialect.name())
                        + "; add_files needs an Iceberg catalog with iceberg.add-files-procedure.enabled=true); use "
                        + "an Iceberg catalog, or remove " + TabularSettings.STAGING_LOCATION
                        + " to insert rows with INSERT ... VALUES");
            }
            Set<String> tables = new HashSet<>();
            try (PreparedStatement ps = connection.prepareStatement(dialect.tablesInSchemaQuery())) {
                ps.setString(1, settings.schema());
                ps.setString(2, settings.table());
                ps.setString(3, TableLayout.metaName(settings.table()));
                ps.setString(4, TableLayout.commitsName(settings.table()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        tables.add(rs.getString(1));
                    }
                }
            }
            boolean exists = tables.contains(settings.table()) && tables.contains(TableLayout.metaName(settings.table()))
                    && tables.contains(TableLayout.commitsName(settings.table()));
            if (!exists && !create) {
                throw new StoreNotFoundException("Cannot open tabular store " + where + ": its tables do not exist");
            }
            if (!exists) {
                try (Statement statement = connection.createStatement()) {
                    for (String sql : TableLayout.createStatements(dialect, settings.schema(), settings.table(),
                            settings.encoding())) {
                        statement.execute(sql);
                    }
                }
            }
            TableLayout layout = new TableLayout(dialect, settings.schema(), settings.table(), settings.encoding());
            Map<String, String> meta = readMeta(connection, layout);
            if (meta.isEmpty()) {
                Map<String, String> initial = new LinkedHashMap<>();
                initial.put(META_FORMAT, TableLayout.FORMAT);
                initial.put(META_ENCODING, settings.encoding().optionValue());
                initial.put(META_COMPRESSION, settings.compression().optionValue());
                // Each statement on Iceberg writes a file and commits a snapshot: the declared
                // schema goes in with the rest rather than in a second INSERT from declareSchema.
                declared.ifPresent(d -> initial.put(META_DIMENSIONS, String.join(",", d.names())));
                writeMeta(connection, layout, initial);
                meta = initial;
            }
            if (!TableLayout.FORMAT.equals(meta.get(META_FORMAT))) {
                throw new StorageException("Cannot open tabular store " + where + ": its format is '"
                        + meta.get(META_FORMAT) + "', expected '" + TableLayout.FORMAT + "'");
            }
            PayloadEncoding encoding = PayloadEncoding.parse(META_ENCODING, meta.get(META_ENCODING));
            Compression compression = Compression.parse(META_COMPRESSION, meta.get(META_COMPRESSION));
            if (settings.encodingGiven() && settings.encoding() != encoding) {
                throw new ConfigurationException("Invalid option '" + TabularSettings.ENCODING + "' = '"
                        + settings.encoding().optionValue() + "' for tabular store " + where
                        + ": the table was created with encoding " + encoding.optionValue());
            }
            if (settings.compressionGiven() && settings.compression() != compression) {
                throw new ConfigurationException("Invalid option '" + TabularSettings.COMPRESSION + "' = '"
                        + settings.compression().optionValue() + "' for tabular store " + where
                        + ": the table was created with compression " + compression.optionValue());
            }
            PointSchema schema = Optional.ofNullable(meta.get(META_DIMENSIONS)).map(PointSchema::parse).orElse(null);
            TableLayout actual = new TableLayout(dialect, settings.schema(), settings.table(), encoding);
            LOG.debug("Opened tabular store {} (encoding {}, compression {})", where, encoding.optionValue(),
                    compression.optionValue());
            StagingArea staging = settings.stagingLocation().isPresent() ? StagingArea.open(settings) : null;
            return new TabularStore(shared, settings, dialect, actual,
                    new RowCodec(encoding, compression, settings.maxPayloadBytes()), schema, staging);
        } catch (SQLException e) {
            throw new StorageException("Cannot open tabular store " + where + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readMeta(Connection connection, TableLayout layout) throws SQLException {
        Map<String, String> meta = new HashMap<>();
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(layout.selectMeta())) {
            while (rs.next()) {
                meta.putIfAbsent(rs.getString(1), rs.getString(2));
            }
        }
        return meta;
    }

    private static void writeMeta(Connection connection, TableLayout layout, Map<String, String> entries)
            throws SQLException {
        // A few rows once per store, in one statement (each statement costs a Trino round trip).
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(layout.insertMeta(entries.size()))) {
            int parameter = 1;
            for (Map.Entry<String, String> e : entries.entrySet()) {
                ps.setString(parameter++, e.getKey());
                ps.setString(parameter++, e.getValue());
            }
            ps.executeUpdate();
        }
    }

    /** @return the clock of runs and commits of this store's factory */
    Generations generations() {
        return shared.generations();
    }

    /** @return the staging area of bulk loads, or empty where rows are inserted */
    java.util.Optional<StagingArea> staging() {
        return java.util.Optional.ofNullable(staging);
    }

    TabularSettings settings() {
        return settings;
    }

    Dialect dialect() {
        return dialect;
    }

    TableLayout layout() {
        return layout;
    }

    RowCodec codec() {
        return codec;
    }

    String describe() {
        return key;
    }

    @Override
    public Optional<PointSchema> schema() {
        return Optional.ofNullable(schema);
    }

    @Override
    public PointSchema declareSchema(PointSchema declared) {
        synchronized (lock) {
            PointSchema known = schema;
            if (known != null) {
                // Recorded once and never changed: what this store read or wrote stands.
                return checkDeclared(known, declared);
            }
            try (Connection connection = dialect.connect()) {
                String stored = readMeta(connection, layout).get(META_DIMENSIONS);
                if (stored == null) {
                    writeMeta(connection, layout, Map.of(META_DIMENSIONS, String.join(",", declared.names())));
                    schema = declared;
                    return declared;
                }
                PointSchema existing = PointSchema.parse(stored);
                schema = existing;
                return checkDeclared(existing, declared);
            } catch (SQLException e) {
                throw new StorageException("Cannot record the point schema of tabular store " + key + ": "
                        + e.getMessage(), e);
            }
        }
    }

    private PointSchema checkDeclared(PointSchema existing, PointSchema declared) {
        if (!existing.equals(declared)) {
            throw new SchemaMismatchException("Cannot use point schema (" + declared + ") with tabular store " + key
                    + ": the store's point schema is (" + existing + ")");
        }
        return existing;
    }

    @Override
    public Set<String> committedWorkers() {
        Set<String> workers = new HashSet<>();
        try (Connection connection = dialect.connect();
                Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery(layout.selectCommittedWorkers())) {
            while (rs.next()) {
                workers.add(rs.getString(1));
            }
        } catch (SQLException e) {
            throw new StorageException("Cannot list the committed workers of tabular store " + key + ": "
                    + e.getMessage(), e);
        }
        return workers;
    }

    @Override
    public BackendIngestor newIngestor(String workerId, OptionalLong memoryBytes) {
        Set<String> active = shared.activeWorkers(key);
        if (!active.add(workerId)) {
            throw new WorkerBusyException("Cannot start worker '" + workerId + "' on tabular store " + key
                    + ": it already has an open ingestor in this JVM");
        }
        // A flush holds the buffered clouds, their encoded rows and the driver's batch: a third each.
        long flushBytes = memoryBytes.isPresent()
                ? Math.min(settings.writeBufferBytes(), Math.max(1, memoryBytes.getAsLong() / 3))
                : settings.writeBufferBytes();
        return new TabularIngestor(this, workerId, shared.generations().next(), flushBytes,
                () -> active.remove(workerId));
    }

    @Override
    public BackendQuery openQuery() {
        return new TabularQuery(this, shared.generations().next());
    }

    /**
     * Committed data is visible without consolidation; this removes the rows of runs superseded
     * by a later commit of the same worker, where the catalog supports DELETE (DuckDB yes, Trino's
     * memory connector no: there the rows stay and every query filters them out). The DELETEs run
     * in the database, so the memory budget does not reach them: the database's own settings do.
     */
    @Override
    public void consolidate(OptionalLong memoryBytes) {
        if (deletesUnsupported) {
            return;
        }
        try (Connection connection = dialect.connect(); Statement statement = connection.createStatement()) {
            for (String sql : layout.deleteSuperseded()) {
                statement.executeUpdate(sql);
            }
        } catch (SQLException e) {
            if (dialect.isDeleteUnsupported(e)) {
                markDeletesUnsupported();
                return;
            }
            throw new StorageException("Cannot consolidate tabular store " + key + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the rows of one uncommitted run, where the catalog can; they are invisible either way. */
    void deleteRun(String workerId, long generation) {
        if (deletesUnsupported) {
            return;
        }
        try (Connection connection = dialect.connect();
                PreparedStatement ps = connection.prepareStatement(layout.deleteRun())) {
            ps.setString(1, workerId);
            ps.setLong(2, generation);
            ps.executeUpdate();
        } catch (SQLException e) {
            if (dialect.isDeleteUnsupported(e)) {
                markDeletesUnsupported();
                return;
            }
            // The run was never committed, so its rows are invisible: nothing stored is wrong.
            LOG.warn("Cannot delete the rows of aborted run {} of worker '{}' in tabular store {}: {}", generation,
                    workerId, key, e.getMessage());
        }
    }

    private void markDeletesUnsupported() {
        deletesUnsupported = true;
        if (shared.firstNoDeleteReport(key)) {
            LOG.info("Tabular store {}: the catalog cannot delete rows; superseded and aborted runs stay in the "
                    + "table and queries skip them by generation", key);
        }
    }

    @Override
    public void close() {
        if (staging != null) {
            staging.close();
        }
        dialect.close();
    }
}
