package org.jrunc.container;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.sys.RecordingSyscalls;

/**
 * The stage's side of the sync socket for create's and exec's tests: frames scripted as the init or exec stage would
 * write them, and the frames the runtime wrote, read back ({@link SyncChannel}'s format: type, length, payload).
 */
final class SyncFrames {
    /** The runtime's end of the socket pair, as {@link RecordingSyscalls} names it. */
    static final String RUNTIME_END = "socket:a";

    private SyncFrames() {}

    /** What the stage writes: the runtime reads it next. */
    static void stageSays(RecordingSyscalls sys, SyncChannel.Type type, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(type.ordinal());
        f.write(payload.length >>> 24);
        f.write(payload.length >>> 16);
        f.write(payload.length >>> 8);
        f.write(payload.length);
        f.writeBytes(payload);
        sys.input(RUNTIME_END, f.toByteArray());
    }

    /** What the runtime wrote to the stage, frame by frame. */
    static List<SyncChannel.Frame> sentToStage(RecordingSyscalls sys) {
        byte[] b = sys.written(RUNTIME_END);
        List<SyncChannel.Frame> out = new ArrayList<>();
        for (int i = 0; i < b.length; ) {
            int len = ((b[i + 1] & 0xff) << 24)
                    | ((b[i + 2] & 0xff) << 16)
                    | ((b[i + 3] & 0xff) << 8)
                    | (b[i + 4] & 0xff);
            byte[] payload = new byte[len];
            System.arraycopy(b, i + 5, payload, 0, len);
            out.add(new SyncChannel.Frame(SyncChannel.Type.values()[b[i]], payload));
            i += 5 + len;
        }
        return out;
    }
}
