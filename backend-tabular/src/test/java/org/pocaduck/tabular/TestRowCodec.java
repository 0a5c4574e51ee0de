package org.pocaduck.tabular;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pocaduck.PointCloud;

class TestRowCodec {
    private static long[] values(int count) {
        long[] v = new long[count];
        for (int i = 0; i < count; i++) {
            v[i] = i % 5 == 0 ? Long.MIN_VALUE + i : (i * 2654435761L) ^ (i % 7 == 0 ? -1L : 0);
        }
        return v;
    }

    @Test
    void rowsStayUnderThePayloadLimitAndRoundTrip() {
        for (PayloadEncoding encoding : PayloadEncoding.values()) {
            for (Compression compression : Compression.values()) {
                RowCodec codec = new RowCodec(encoding, compression, 100 * 1024);
                long[] v = values(3 * 10_000);
                List<StoredRow> rows = new ArrayList<>();
                int next = codec.encode(-1L, "b", PointCloud.wrap(v, 3), "w", 7L, 5, rows);
                assertThat(rows).hasSize(3);
                assertThat(next).isEqualTo(8);
                long[] back = new long[v.length];
                int at = 0;
                try (Compression.Decompressor decompressor = new Compression.Decompressor()) {
                    for (StoredRow row : rows) {
                        assertThat(row.payloadBytes()).isLessThanOrEqualTo(100 * 1024);
                        assertThat(row.label()).isEqualTo(-1L);
                        codec.decodeInto(row.payload(), row.pointCount(), 3, back, at, decompressor);
                        at += row.pointCount() * 3;
                    }
                }
                assertThat(back).as("%s %s", encoding, compression).isEqualTo(v);
            }
        }
    }

    @Test
    void pointsPerRowFollowTheWorstCaseSize() {
        assertThat(new RowCodec(PayloadEncoding.PACKED, Compression.NONE, 100 * 1024).pointsPerRow(3)).isEqualTo(4266);
        assertThat(new RowCodec(PayloadEncoding.ARRAY, Compression.ZSTD, 100 * 1024).pointsPerRow(3)).isEqualTo(4266);
        int zstd = new RowCodec(PayloadEncoding.PACKED, Compression.ZSTD, 100 * 1024).pointsPerRow(3);
        assertThat(com.github.luben.zstd.Zstd.compressBound(zstd * 24L)).isLessThanOrEqualTo(100 * 1024);
        assertThat(com.github.luben.zstd.Zstd.compressBound((zstd + 1) * 24L)).isGreaterThan(100 * 1024);
        // A point wider than the limit still gets a row of its own.
        assertThat(new RowCodec(PayloadEncoding.PACKED, Compression.NONE, 1024).pointsPerRow(1000)).isEqualTo(1);
    }

    @Test
    void trinoLiteralsQuoteEverythingExactly() {
        assertThat(TrinoDialect.varchar("it's")).isEqualTo("'it''s'");
        assertThat(TrinoDialect.varchar("x;DROP TABLE t;--")).isEqualTo("'x;DROP TABLE t;--'");
        assertThat(TrinoDialect.varchar("a\tb\\c'\uD83D\uDE00ブ")).isEqualTo("U&'a\\0009b\\\\c''\\+01F600\\30D6'");
        assertThat(TrinoDialect.bigint(Long.MIN_VALUE)).isEqualTo("(-9223372036854775807-1)");
        assertThat(TrinoDialect.bigint(-1)).isEqualTo("-1");
    }
}
