package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The kernel's list format ("0-3,7") to and from the masks sched_setaffinity(2) and set_mempolicy(2) take. */
class BitmaskListTest {
    @Test
    void listsBecomeMasksOf64IdsPerLong() {
        assertArrayEquals(new long[] {0x8f}, BitmaskList.parse("0-3,7"));
        assertArrayEquals(new long[] {1}, BitmaskList.parse(" 0 , ,"));
        assertArrayEquals(new long[] {0, 1L << 1}, BitmaskList.parse("65"));
        assertArrayEquals(new long[] {-1L, 1}, BitmaskList.parse("0-64"));
        assertArrayEquals(new long[0], BitmaskList.parse(""));
    }

    @Test
    void masksFormatBackToTheList() {
        assertEquals("0-3,7", BitmaskList.format(new long[] {0x8f}));
        assertEquals("0-64", BitmaskList.format(new long[] {-1L, 1}));
        assertEquals("", BitmaskList.format(new long[0]));
    }

    @Test
    void whatIsNotAListSaysWhy() {
        assertEquals("\"x\" is not a number", why("0-x"));
        assertEquals("the range 3-1 runs backwards", why("3-1"));
        assertEquals("a range lacks a number", why("3-"));
        assertEquals("\"65537\" is above 65536", why("65537"));
        assertEquals("\"-2\" is not a number", why("1--2"));
    }

    private static String why(String list) {
        return assertThrows(IllegalArgumentException.class, () -> BitmaskList.parse(list))
                .getMessage();
    }
}
