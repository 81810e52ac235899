package org.jrunc.cgroups;

import java.util.List;
import java.util.function.Function;
import org.jrunc.config.BlockIo;
import org.jrunc.config.ThrottleDevice;

/** The four blockIO throttle lists: their OCI name, v1 file and v2 io.max key. */
public enum IoThrottle {
    READ_BPS("throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps", BlockIo::throttleReadBpsDevice),
    WRITE_BPS("throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps", BlockIo::throttleWriteBpsDevice),
    READ_IOPS("throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops", BlockIo::throttleReadIOPSDevice),
    WRITE_IOPS(
            "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops", BlockIo::throttleWriteIOPSDevice);

    final String ociName;
    public final String v1File;
    public final String v2Key;
    private final Function<BlockIo, List<ThrottleDevice>> getter;

    IoThrottle(String ociName, String v1File, String v2Key, Function<BlockIo, List<ThrottleDevice>> getter) {
        this.ociName = ociName;
        this.v1File = v1File;
        this.v2Key = v2Key;
        this.getter = getter;
    }

    public List<ThrottleDevice> of(BlockIo b) {
        List<ThrottleDevice> l = getter.apply(b);
        return l == null ? List.of() : l;
    }

    /** "blockIO.throttleReadBpsDevice[2]", for messages. */
    public String field(int index) {
        return "blockIO." + ociName + "[" + index + "]";
    }
}
