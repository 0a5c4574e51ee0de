package org.pocaduck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.pocaduck.spi.BackendFactory;
import org.pocaduck.spi.BackendIngestor;
import org.pocaduck.spi.BackendQuery;
import org.pocaduck.spi.BackendStore;
import org.pocaduck.spi.ConfigOption;

/**
 * The API's rule for {@link Query#labels()}: a store of more labels than one Java array holds is
 * refused, naming {@link Query#labelSummaries()}. No real store can hold 2^31 labels in a unit
 * test, so this storage type (registered for the tests of this module only) reports a label
 * count of its location's number and streams that many labels.
 */
class TestQueryLabelLimit {
    /** Storage type {@code test-label-count}: location = the label count it reports. */
    public static final class HugeLabelCountFactory implements BackendFactory {
        @Override
        public String storageType() {
            return "test-label-count";
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public List<ConfigOption> options() {
            return List.of();
        }

        @Override
        public BackendStore open(StorageConfig config, boolean create) {
            long count = Long.parseLong(config.location());
            return new BackendStore() {
                @Override
                public Optional<PointSchema> schema() {
                    return Optional.empty();
                }

                @Override
                public PointSchema declareSchema(PointSchema schema) {
                    return schema;
                }

                @Override
                public Set<String> committedWorkers() {
                    return Set.of();
                }

                @Override
                public BackendIngestor newIngestor(String workerId, OptionalLong memoryBytes) {
                    throw new UnsupportedOperationException("Cannot write: test backend");
                }

                @Override
                public BackendQuery openQuery() {
                    return new CountingQuery(count);
                }

                @Override
                public void consolidate(OptionalLong memoryBytes) {
                }

                @Override
                public void close() {
                }
            };
        }
    }

    /** Labels 0..count-1, each with one point in one block. */
    private record CountingQuery(long count) implements BackendQuery {
        @Override
        public LabelSummaries labelSummaries() {
            QueryTiming.Recorder timing = QueryTiming.start("test-label-count", "labelSummaries");
            return new LabelSummaries() {
                private long next;

                @Override
                public QueryTiming timing() {
                    return timing.finish(0);
                }

                @Override
                public void close() {
                }

                @Override
                public boolean hasNext() {
                    return next < count;
                }

                @Override
                public LabelSummary next() {
                    if (!hasNext()) {
                        throw new NoSuchElementException();
                    }
                    timing.indexLookupDone().rows(1);
                    return new LabelSummary(next++, 1, 1);
                }
            };
        }

        @Override
        public long labelCount() {
            return count;
        }

        @Override
        public Timed<Long> pointCount(long label) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Timed<List<String>> blocks(long label) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Timed<PointCloud> points(long label, int emptyDimensions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Timed<PointCloud> points(long label, Set<String> blockIds, int emptyDimensions) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PointChunks streamPoints(long label, int maxChunkPoints) {
            throw new UnsupportedOperationException();
        }

        @Override
        public BlockChunks streamBlocks(long label, int maxChunkPoints) {
            throw new UnsupportedOperationException();
        }

        @Override
        public LabelChunks streamLabels(LabelSelection selection, int maxChunkPoints) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<PointSchema> schema() {
            return Optional.empty();
        }

        @Override
        public StoreStats stats() {
            return new StoreStats(count, count, count, 0, 0);
        }

        @Override
        public void close() {
        }
    }

    private static Query query(long labels) {
        Store store = PocaDuck.open(StorageConfig.builder("test-label-count").location(Long.toString(labels)).build());
        return store.query();
    }

    @Test
    void labelsOfAStoreBeyondOneArrayAreRefusedNamingLabelSummaries() {
        Query query = query(3_000_000_000L);
        assertThat(query.labelCount()).isEqualTo(3_000_000_000L);
        assertThatThrownBy(query::labels).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("3000000000 labels").hasMessageContaining("labelSummaries()");
        // The stream still walks it, with bounded memory.
        try (LabelSummaries summaries = query.labelSummaries()) {
            for (long i = 0; i < 1000; i++) {
                assertThat(summaries.next().label()).isEqualTo(i);
            }
        }
    }

    @Test
    void labelsOfASmallStoreComeFromTheSummaries() {
        Query query = query(5);
        assertThat(query.labels()).containsExactly(0, 1, 2, 3, 4);
        Timed<long[]> timed = query.labelsTimed();
        assertThat(timed.timing().operation()).isEqualTo("labels");
        assertThat(timed.timing().rowsRead()).isEqualTo(5);
    }
}
