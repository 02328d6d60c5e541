package io.rrtcp.worker;

import io.rrtcp.goridge.Payload;

/** What a worker answered to one request: results, not failures (a failure is a {@link WorkerException}). */
public sealed interface Reply {
    /** An ordinary reply: context and body. */
    record Answer(Payload payload) implements Reply {
    }

    /** An ERROR frame: the worker stays in service, the request fails with this message. */
    record ErrorFrame(String message) implements Reply {
    }

    /** {"stop":true}: the worker asks to be replaced; the request may run on another worker. */
    record StopRequested() implements Reply {
    }

    /** A streamed reply, read and dropped: TCP cannot use one; the worker stays in service. */
    record StreamRefused() implements Reply {
    }

    /** The answer's payload, or a WorkerException of the matching kind naming the worker. */
    default Payload payloadOf(long pid) throws WorkerException {
        return switch (this) {
            case Answer a -> a.payload();
            case ErrorFrame e -> throw new WorkerException(WorkerException.Kind.SOFT_JOB, pid, true,
                    "worker " + pid + " answered with an error: " + e.message());
            case StopRequested s -> throw new WorkerException(WorkerException.Kind.STOP_REQUESTED, pid, true,
                    "worker " + pid + " asked to be stopped");
            case StreamRefused s -> throw new WorkerException(WorkerException.Kind.STREAM_REFUSED, pid, true,
                    "worker " + pid + " answered with a stream; streaming is not supported");
        };
    }
}
