package org.jrunc.image.registry;

/** What a progress display learns about one blob's download; called on the downloading thread. */
public interface BlobProgress {
    BlobProgress NONE = new BlobProgress() {
        @Override
        public void transferred(long bytes) {}

        @Override
        public void restarted() {}
    };

    /** {@code bytes} more bytes arrived and were written. */
    void transferred(long bytes);

    /**
     * A retry starts the blob again from its first byte, so the bytes counted so far no longer count. A retry that
     * resumes with a Range request does not call this: the bytes before the offset are kept.
     */
    void restarted();
}
