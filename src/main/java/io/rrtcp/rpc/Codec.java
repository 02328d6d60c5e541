package io.rrtcp.rpc;

import io.rrtcp.goridge.Frame;

/** The body codec of one RPC call, chosen from the request's flags in upstream's priority order. */
enum Codec {
    PROTO(Frame.CODEC_PROTO), JSON(Frame.CODEC_JSON), RAW(Frame.CODEC_RAW), MSGPACK(Frame.CODEC_MSGPACK),
    GOB(Frame.CODEC_GOB);

    final int flag;

    Codec(int flag) {
        this.flag = flag;
    }

    /** proto, then JSON, then raw, then msgpack; anything else (also no codec bit at all) is gob, as upstream. */
    static Codec of(int flags) {
        for (Codec c : new Codec[]{PROTO, JSON, RAW, MSGPACK}) {
            if ((flags & c.flag) != 0) {
                return c;
            }
        }
        return GOB;
    }
}
