package io.rrtcp.worker;

import java.time.Instant;

/** A snapshot of one worker, as the informer reports it. */
public record WorkerInfo(long pid, WorkerState state, long numExecs, Instant created) {
}
