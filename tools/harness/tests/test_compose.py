import unittest

from harness.compose.check import BuildProgress
from harness.compose.project import Container
from harness.docker.base_images import keep_member
from harness.docker.standins import is_real_image


class BuildProgressTest(unittest.TestCase):
    def test_shows_the_stage_and_the_cxx_percentage_at_most_once_per_interval(self):
        now = [0.0]
        progress = BuildProgress(interval=20, clock=lambda: now[0])
        self.assertEqual(progress.feed("Building order-service"), "building order-service")
        self.assertIsNone(progress.feed("#5 [build 6/9] RUN apt-get update"))
        now[0] = 25
        self.assertEqual(progress.feed("#12 [build 9/9] RUN cmake -S . -B /build"),
                         "[build 9/9] RUN cmake -S . -B /build")
        now[0] = 30
        self.assertIsNone(progress.feed("#12 31.2 [ 45%] Building CXX object x.o"))
        now[0] = 46
        self.assertEqual(progress.feed("#12 47.0 [ 52%] Building CXX object y.o"),
                         "[build 9/9] RUN cmake -S . -B /build  C++ 52%")
        now[0] = 70
        self.assertEqual(progress.feed("#12 71.0 [ 48%] Linking CXX executable z"),
                         "[build 9/9] RUN cmake -S . -B /build  C++ 52%")

    def test_ignores_lines_before_any_step(self):
        progress = BuildProgress(interval=0, clock=lambda: 100.0)
        self.assertIsNone(progress.feed("#1 transferring context: 2B done"))


class BaseImageTest(unittest.TestCase):
    def test_both_images_drop_apt_lists_and_caches_but_keep_their_folders(self):
        for slim in (False, True):
            self.assertFalse(keep_member("./var/lib/apt/lists/deb.debian.org_Release", slim))
            self.assertFalse(keep_member("./var/cache/apt/archives/bash.deb", slim))
            self.assertTrue(keep_member("./var/lib/apt/lists/partial", slim))
            self.assertTrue(keep_member("./var/cache/apt/archives/partial", slim))
            self.assertFalse(keep_member("./etc/apt/sources.list", slim))
            self.assertTrue(keep_member("./usr/bin/bash", slim))

    def test_slim_drops_docs_manuals_and_translations_but_not_copyrights(self):
        self.assertTrue(keep_member("./usr/share/doc/bash/README", slim=False))
        self.assertFalse(keep_member("./usr/share/doc/bash/README", slim=True))
        self.assertTrue(keep_member("./usr/share/doc/bash/copyright", slim=True))
        self.assertTrue(keep_member("./usr/share/doc/bash", slim=True))
        self.assertFalse(keep_member("./usr/share/man/man1/ls.1.gz", slim=True))
        self.assertFalse(keep_member("./usr/share/locale/de/LC_MESSAGES/x.mo", slim=True))
        self.assertTrue(keep_member("./usr/share/zoneinfo/UTC", slim=True))


class StandInTest(unittest.TestCase):
    def test_only_an_image_without_our_label_counts_as_real(self):
        self.assertFalse(is_real_image(None))
        self.assertFalse(is_real_image({"org.choreo.standin": "true"}))
        self.assertTrue(is_real_image({}))
        self.assertTrue(is_real_image({"maintainer": "someone"}))


class ContainerTest(unittest.TestCase):
    def test_reads_what_the_check_needs_from_docker_inspect(self):
        container = Container.from_inspect({
            "Id": "0123456789abcdef", "Name": "/choreo-check_payment-worker_2",
            "RestartCount": 1,
            "State": {"Status": "running", "Pid": 4242, "Health": {"Status": "healthy"}},
            "Config": {"Labels": {"com.docker.compose.service": "payment-worker"}},
            "NetworkSettings": {"Ports": {"9102/tcp": [{"HostIp": "127.0.0.1",
                                                        "HostPort": "49153"}],
                                          "9999/tcp": None}}})
        self.assertEqual(container.id, "0123456789ab")
        self.assertEqual(container.name, "choreo-check_payment-worker_2")
        self.assertEqual(container.service, "payment-worker")
        self.assertEqual((container.status, container.health, container.pid), ("running",
                                                                                "healthy", 4242))
        self.assertEqual(container.restart_count, 1)
        self.assertEqual(container.ports, {"9102/tcp": 49153})


if __name__ == "__main__":
    unittest.main()
