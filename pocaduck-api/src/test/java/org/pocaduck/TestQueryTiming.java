package org.pocaduck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TestQueryTiming {
    @Test
    void recorderChargesLapsToPhasesAndTotalCoversThem() throws InterruptedException {
        QueryTiming.Recorder recorder = QueryTiming.start("memory", "points");
        Thread.sleep(2);
        recorder.indexLookupDone();
        Thread.sleep(2);
        recorder.dataReadDone().files(2).rows(10).bytes(80).requests(3).sql("SELECT 1");
        QueryTiming timing = recorder.finish(10);
        assertThat(timing.indexLookup()).isGreaterThanOrEqualTo(Duration.ofMillis(2));
        assertThat(timing.dataRead()).isGreaterThanOrEqualTo(Duration.ofMillis(2));
        assertThat(timing.decode()).isZero();
        assertThat(timing.total()).isGreaterThanOrEqualTo(timing.indexLookup().plus(timing.dataRead()));
        assertThat(timing.sql()).containsExactly("SELECT 1");
        assertThat(timing.filesTouched()).isEqualTo(2);
        assertThat(timing.readRequests()).isEqualTo(3);
        assertThat(timing.pointsReturned()).isEqualTo(10);
        QueryTiming more = timing.withExtraDecode(Duration.ofMillis(1), 4);
        assertThat(more.decode()).isEqualTo(Duration.ofMillis(1));
        assertThat(more.total()).isEqualTo(timing.total().plusMillis(1));
        assertThat(more.pointsReturned()).isEqualTo(4);
        assertThat(more.readRequests()).isEqualTo(3);
    }

    @Test
    void rejectsNegativeValues() {
        assertThatThrownBy(() -> new QueryTiming("m", "p", Duration.ofNanos(-1), Duration.ZERO, Duration.ZERO,
                Duration.ZERO, 0, 0, 0, 0, 0, false, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueryTiming("m", "p", Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, -1, 0, 0, 0, 0, false, List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new QueryTiming("m", "p", Duration.ZERO, Duration.ZERO, Duration.ZERO,
                Duration.ZERO, 0, 0, 0, -1, 0, false, List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
