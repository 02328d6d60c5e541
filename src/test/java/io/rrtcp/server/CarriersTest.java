package io.rrtcp.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CarriersTest {
    @Test
    void halfTheCoresAtLeastOne() {
        assertEquals(1, Carriers.defaultFor(1));
        assertEquals(1, Carriers.defaultFor(2));
        assertEquals(1, Carriers.defaultFor(3));
        assertEquals(2, Carriers.defaultFor(4));
        assertEquals(32, Carriers.defaultFor(64));
    }

    @Test
    void aValueTheUserGaveIsKept() {
        String before = System.getProperty(Carriers.PROPERTY);
        try {
            System.setProperty(Carriers.PROPERTY, "7");
            Carriers.applyDefault();
            assertEquals("7", System.getProperty(Carriers.PROPERTY));
            assertEquals("7", Carriers.configured());
            System.clearProperty(Carriers.PROPERTY);
            Carriers.applyDefault();
            assertEquals(Integer.toString(Carriers.defaultFor(Runtime.getRuntime().availableProcessors())),
                    System.getProperty(Carriers.PROPERTY));
        } finally {
            if (before == null) {
                System.clearProperty(Carriers.PROPERTY);
            } else {
                System.setProperty(Carriers.PROPERTY, before);
            }
        }
    }
}
