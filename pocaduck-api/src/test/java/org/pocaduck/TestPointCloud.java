package org.pocaduck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TestPointCloud {
    @Test
    void wrapKeepsRowMajorShape() {
        long[] values = {1, 2, 3, 4, 5, 6};
        PointCloud cloud = PointCloud.wrap(values, 3);
        assertThat(cloud.size()).isEqualTo(2);
        assertThat(cloud.dimensions()).isEqualTo(3);
        assertThat(cloud.get(1, 0)).isEqualTo(4);
        assertThat(cloud.point(1)).containsExactly(4, 5, 6);
        assertThat(cloud.column(2)).containsExactly(3, 6);
        assertThat(cloud.toArray()).containsExactly(values);
        assertThat(cloud.asReadOnlyBuffer().get(5)).isEqualTo(6);
        assertThatThrownBy(() -> cloud.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void copyOfDoesNotShareTheArray() {
        long[] values = {1, 2};
        PointCloud cloud = PointCloud.copyOf(values, 1);
        values[0] = 99;
        assertThat(cloud.get(0, 0)).isEqualTo(1);
    }

    @Test
    void rejectsBadShapesNamingTheRule() {
        assertThatThrownBy(() -> PointCloud.wrap(new long[5], 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5 values is not a multiple of D = 3");
        assertThatThrownBy(() -> PointCloud.wrap(new long[0], 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("D = 0");
        assertThatThrownBy(() -> PointCloud.ofRows(2, new long[] {1, 2}, new long[] {3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 1 has 1 values");
    }

    @Test
    void sliceConcatSortedAndDistinct() {
        PointCloud cloud = PointCloud.ofRows(2, new long[] {3, 1}, new long[] {-1, 5}, new long[] {3, 1},
                new long[] {3, 0});
        PointCloud tail = cloud.slice(2, 4);
        assertThat(tail.toArray()).containsExactly(3, 1, 3, 0);
        assertThat(PointCloud.concat(2, List.of(cloud.slice(0, 2), tail))).isEqualTo(cloud);
        assertThat(cloud.sorted().toArray()).containsExactly(-1, 5, 3, 0, 3, 1, 3, 1);
        assertThat(cloud.distinct().toArray()).containsExactly(-1, 5, 3, 0, 3, 1);
        assertThat(cloud.slice(1, 1).isEmpty()).isTrue();
        assertThat(PointCloud.empty(4).distinct().dimensions()).isEqualTo(4);
        assertThatThrownBy(() -> PointCloud.concat(3, List.of(cloud))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sortedMatchesAReferenceSortOnManyPoints() {
        java.util.Random random = new java.util.Random(42);
        long[] values = new long[3 * 5000];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(20) - 10;
        }
        PointCloud cloud = PointCloud.wrap(values, 3);
        long[][] rows = new long[cloud.size()][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = cloud.point(i);
        }
        java.util.Arrays.sort(rows, java.util.Arrays::compare);
        assertThat(cloud.sorted()).isEqualTo(PointCloud.ofRows(3, rows));
        long distinct = java.util.Arrays.stream(rows).map(java.util.Arrays::toString).distinct().count();
        assertThat(cloud.distinct().size()).isEqualTo(distinct);
    }

    @Test
    void equalityIsByShapeAndValues() {
        PointCloud a = PointCloud.wrap(new long[] {1, 2, 3, 4}, 2);
        assertThat(PointCloud.wrap(new long[] {9, 9, 1, 2, 3, 4}, 2).slice(1, 3)).isEqualTo(a);
        assertThat(a).isNotEqualTo(PointCloud.wrap(new long[] {1, 2, 3, 4}, 4));
        assertThat(a).isNotEqualTo(PointCloud.wrap(new long[] {1, 2, 4, 3}, 2));
        assertThat(a.hashCode()).isEqualTo(PointCloud.copyOf(new long[] {1, 2, 3, 4}, 2).hashCode());
    }
}
