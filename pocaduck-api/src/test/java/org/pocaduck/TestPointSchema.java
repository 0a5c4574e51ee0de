package org.pocaduck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestPointSchema {
    @Test
    void defaultNamesAreXyzThenAttributes() {
        assertThat(PointSchema.defaultFor(1).names()).containsExactly("x");
        assertThat(PointSchema.defaultFor(3).names()).containsExactly("x", "y", "z");
        assertThat(PointSchema.defaultFor(5).names()).containsExactly("x", "y", "z", "attr_3", "attr_4");
    }

    @Test
    void parsesAndPrintsCommaSeparatedNames() {
        PointSchema schema = PointSchema.parse("x, y,z,supervoxel_id");
        assertThat(schema.dimensions()).isEqualTo(4);
        assertThat(schema.toString()).isEqualTo("x,y,z,supervoxel_id");
    }

    @Test
    void rejectsBadNamesNamingThem() {
        assertThatThrownBy(() -> PointSchema.parse("x,X")).hasMessageContaining("'X'");
        assertThatThrownBy(() -> PointSchema.parse("x,x")).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> PointSchema.parse("x,label")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> PointSchema.parse("")).isInstanceOf(IllegalArgumentException.class);
    }
}
