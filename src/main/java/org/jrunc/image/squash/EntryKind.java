package org.jrunc.image.squash;

/** What a layer's tar entry does to the squashed tree. */
enum EntryKind {
    DIRECTORY(0040000),
    REGULAR(0100000),
    SYMLINK(0120000),
    /** Written with its target's type bits. */
    HARD_LINK(0),
    CHARACTER_DEVICE(0020000),
    BLOCK_DEVICE(0060000),
    FIFO(0010000),
    /** {@code .wh.NAME}: NAME is deleted from the layers below. */
    WHITEOUT(0),
    /** {@code .wh..wh..opq}: the directory's contents from the layers below are hidden. */
    OPAQUE(0);

    /** The st_mode file type bits, which the mode field carries with the permissions (as Go's archive/tar writes). */
    final int fileType;

    EntryKind(int fileType) {
        this.fileType = fileType;
    }
}
