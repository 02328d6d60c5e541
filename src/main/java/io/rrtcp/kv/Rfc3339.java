package io.rrtcp.kv;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The TTL format of the kv API: absolute times in RFC 3339, e.g. {@code 2024-01-02T15:04:05+00:00}. */
final class Rfc3339 {
    /** What PHP's DateTimeInterface::RFC3339 writes and reads back: seconds, and the offset as +00:00. */
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");

    private Rfc3339() {
    }

    /** Parses {@code text} (offset or Z, optional fraction); the message says what was expected. */
    static Instant parse(String text) throws DateTimeParseException {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
    }

    static String format(Instant time) {
        return FORMAT.format(time.atOffset(ZoneOffset.UTC));
    }
}
