package org.pocaduck.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.pocaduck.PointCloud;

/** The one-array limit of a label read: up to {@link PointCloud#MAX_VALUES} values, then a clear refusal. */
class TestOneArray {
    @Test
    void upToTheLimitFitsAndBeyondIsRefusedNamingTheLabel() {
        assertThat(OneArray.valueCount(5, PointCloud.MAX_VALUES / 3, 3)).isEqualTo(PointCloud.MAX_VALUES / 3 * 3);
        assertThat(OneArray.valueCount(5, 0, 4)).isZero();
        assertThatThrownBy(() -> OneArray.valueCount(-1L, PointCloud.MAX_VALUES / 3 + 1, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Cannot read points of label 18446744073709551615 into one array: it has "
                        + (PointCloud.MAX_VALUES / 3 + 1) + " points x 3 dimensions; use Query.streamPoints or "
                        + "Query.streamBlocks");
        assertThatThrownBy(() -> OneArray.valueCount(1, Long.MAX_VALUE / 2, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
