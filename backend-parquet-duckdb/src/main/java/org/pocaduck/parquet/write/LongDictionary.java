package org.pocaduck.parquet.write;

import java.util.Arrays;

/**
 * The dictionary of one INT64 column chunk: distinct values numbered 0, 1, ... in the order they
 * were first seen. An open-addressing hash table (linear probing, Fibonacci hashing) of primitive
 * longs, so a lookup costs no allocation. Not thread-safe.
 */
final class LongDictionary {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long[] keys = new long[64];
    /** Id + 1 of the key in the same slot; 0 marks an empty slot. */
    private int[] slots = new int[64];
    private int shift = 64 - 6;
    private long[] values = new long[64];
    private int size;

    /** @return the id of {@code value}, adding it as the next id if it is new */
    int idOf(long value) {
        int slot = (int) ((value * GOLDEN) >>> shift);
        int mask = slots.length - 1;
        while (true) {
            int id = slots[slot];
            if (id == 0) {
                return add(value, slot);
            }
            if (keys[slot] == value) {
                return id - 1;
            }
            slot = (slot + 1) & mask;
        }
    }

    private int add(long value, int slot) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size] = value;
        keys[slot] = value;
        slots[slot] = ++size;
        if (size * 2 > slots.length) {
            rehash();
        }
        return size - 1;
    }

    private void rehash() {
        int capacity = slots.length * 2;
        keys = new long[capacity];
        slots = new int[capacity];
        shift--;
        int mask = capacity - 1;
        for (int id = 0; id < size; id++) {
            long value = values[id];
            int slot = (int) ((value * GOLDEN) >>> shift);
            while (slots[slot] != 0) {
                slot = (slot + 1) & mask;
            }
            keys[slot] = value;
            slots[slot] = id + 1;
        }
    }

    /** @return how many distinct values were added */
    int size() {
        return size;
    }

    /** @return the value of dictionary id {@code id} */
    long value(int id) {
        return values[id];
    }
}
