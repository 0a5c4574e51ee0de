package org.pocaduck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestLabels {
    @Test
    void parsesAndFormatsTheWholeUnsignedRange() {
        assertThat(Labels.parse("0")).isZero();
        assertThat(Labels.parse("9223372036854775808")).isEqualTo(Long.MIN_VALUE);
        assertThat(Labels.parse("18446744073709551615")).isEqualTo(-1L);
        assertThat(Labels.parse(" 360287970189827870 ")).isEqualTo(360287970189827870L);
        assertThat(Labels.format(-1L)).isEqualTo("18446744073709551615");
        assertThat(Labels.format(Long.MIN_VALUE)).isEqualTo("9223372036854775808");
        // 2^53 + 1 is not representable as a double: it must survive exactly.
        assertThat(Labels.format(Labels.parse("9007199254740993"))).isEqualTo("9007199254740993");
    }

    @Test
    void rejectsTextOutsideTheRangeNamingIt() {
        for (String bad : new String[] {"-1", "18446744073709551616", "abc", "", "1.5"}) {
            assertThatThrownBy(() -> Labels.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'").hasMessageContaining("18446744073709551615");
        }
    }

    @Test
    void sortsInUnsignedOrder() {
        long[] labels = {-1L, 5L, Long.MIN_VALUE, 0L, Long.MAX_VALUE};
        Labels.sortUnsigned(labels);
        assertThat(labels).containsExactly(0L, 5L, Long.MAX_VALUE, Long.MIN_VALUE, -1L);
        assertThat(Labels.isStrictlyAscending(labels)).isTrue();
        assertThat(Labels.isStrictlyAscending(new long[] {-1L, 0L})).isFalse();
        assertThat(Labels.compare(Long.MIN_VALUE, Long.MAX_VALUE)).isPositive();
    }
}
