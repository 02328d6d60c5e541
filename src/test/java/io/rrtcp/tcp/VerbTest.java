package io.rrtcp.tcp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VerbTest {
    private static Verb of(String s) {
        return Verb.of(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void verbsMatchByteForByte() {
        assertEquals(Verb.WRITE, of("WRITE"));
        assertEquals(Verb.WRITECLOSE, of("WRITECLOSE"));
        assertEquals(Verb.CONTINUE, of("CONTINUE"));
        assertEquals(Verb.CLOSE, of("CLOSE"));
        assertEquals(Verb.UNKNOWN, of("write"));
        assertEquals(Verb.UNKNOWN, of("WRITE "));
        assertEquals(Verb.UNKNOWN, of(""));
        assertEquals(Verb.UNKNOWN, of("UNKNOWN"));
    }

    @Test
    void onlyWriteAndContinueKeepTheConnection() {
        assertTrue(Verb.WRITE.keepsOpen() && Verb.CONTINUE.keepsOpen());
        assertFalse(Verb.WRITECLOSE.keepsOpen() || Verb.CLOSE.keepsOpen() || Verb.UNKNOWN.keepsOpen());
        assertTrue(Verb.WRITE.writes() && Verb.WRITECLOSE.writes());
        assertFalse(Verb.CONTINUE.writes() || Verb.CLOSE.writes());
    }
}
