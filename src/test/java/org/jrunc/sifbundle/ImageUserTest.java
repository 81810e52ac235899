package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jrunc.JruncException;
import org.junit.jupiter.api.Test;

class ImageUserTest {
    private static final String WHERE = "img.sif: image config";
    private final FakeRootfsFiles files = new FakeRootfsFiles()
            .with(
                    "/etc/passwd",
                    "root:x:0:0:root:/root:/bin/sh\n# comment\nwww-data:x:33:33::/var/www:/bin/false\n"
                            + "app:x:1000:1001:App:/home/app:/bin/sh\nbroken:x\n")
            .with("/etc/group", "root:x:0:\nmail:x:8:\nstaff:x:50:app\n");

    private ImageUser resolve(String user) {
        return ImageUser.resolve(user, files, WHERE);
    }

    private String error(String user, RootfsFiles f) {
        String m = assertThrows(JruncException.class, () -> ImageUser.resolve(user, f, WHERE))
                .getMessage();
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    @Test
    void emptyIsRoot() {
        assertEquals(ImageUser.ROOT, resolve(""));
    }

    @Test
    void namesComeFromTheImagesPasswdAndGroup() {
        assertEquals(new ImageUser(33, 33), resolve("www-data"));
        assertEquals(new ImageUser(1000, 1001), resolve("app"));
        assertEquals(new ImageUser(1000, 50), resolve("app:staff"));
        assertEquals(new ImageUser(33, 8), resolve("www-data:mail"));
    }

    @Test
    void numbersNeedNoFiles() {
        assertEquals(new ImageUser(1000, 1001), resolve("1000"), "primary group from passwd");
        assertEquals(new ImageUser(4242, 0), resolve("4242"), "unlisted uid: group 0, as Docker");
        assertEquals(new ImageUser(4242, 7), resolve("4242:7"));
        assertEquals(new ImageUser(1000, 8), resolve("1000:mail"));
        assertEquals(new ImageUser(5, 6), ImageUser.resolve("5:6", new FakeRootfsFiles(), WHERE));
    }

    @Test
    void unknownNamesAreErrors() {
        assertEquals(
                WHERE + ": User \"nobody\": no user \"nobody\" in the image's /etc/passwd", error("nobody", files));
        assertEquals(
                WHERE + ": User \"app:wheel\": no group \"wheel\" in the image's /etc/group",
                error("app:wheel", files));
        assertEquals(
                WHERE + ": User \"app\": no user \"app\" in the image's /etc/passwd",
                error("app", new FakeRootfsFiles()));
    }

    @Test
    void malformedValuesAreErrors() {
        assertEquals(WHERE + ": User \"app:\" is not user, uid, user:group or uid:gid", error("app:", files));
        assertEquals(WHERE + ": User \":5\" is not user, uid, user:group or uid:gid", error(":5", files));
        assertEquals(
                WHERE + ": User \"99999999999\": id \"99999999999\" is not a number from 0 to 4294967294",
                error("99999999999", files));
    }
}
