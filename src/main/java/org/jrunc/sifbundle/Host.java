package org.jrunc.sifbundle;

import java.util.OptionalInt;
import org.jrunc.rootfs.MountTable;

/** What {@link Teardown} asks the running system (a fake in tests). */
interface Host {
    /** The mounts as this process sees them now. */
    MountTable mounts();

    /**
     * A process in another mount namespace that still has filesystem {@code device} (major:minor) mounted, such as
     * a container created from the bundle: it keeps using the image and the overlay after they are unmounted here.
     */
    OptionalInt userInOtherNamespace(String device);
}
