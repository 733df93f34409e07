import unittest

from harness.http import metric_value
from harness.ui import format_duration


class FormatDurationTest(unittest.TestCase):
    def test_minutes_and_seconds(self):
        self.assertEqual(format_duration(75), "1m 15s")
        self.assertEqual(format_duration(600), "10m 00s")
        self.assertEqual(format_duration(42), "42s")
        self.assertEqual(format_duration(3.75), "3s")
        self.assertEqual(format_duration(59.9), "59s")
        self.assertEqual(format_duration(3), "3s")


class MetricValueTest(unittest.TestCase):
    TEXT = ('# TYPE choreo_consumer_events_total counter\n'
            'choreo_consumer_events_total{consumer="a",outcome="processed"} 12\n'
            'choreo_consumer_events_total{consumer="a",outcome="duplicate"} 0\n')

    def test_finds_a_series_by_its_full_text(self):
        self.assertEqual(metric_value(
            self.TEXT, 'choreo_consumer_events_total{consumer="a",outcome="processed"}'), 12.0)

    def test_absent_is_minus_one(self):
        self.assertEqual(metric_value(self.TEXT, 'choreo_consumer_events_total{consumer="b"}'),
                         -1.0)


if __name__ == "__main__":
    unittest.main()


class BenchArgumentsTest(unittest.TestCase):
    def test_dashboards_take_a_count_and_reach_no_generator(self):
        from harness.commands.bench import parse
        from harness.errors import UsageError
        options = parse(["--quick", "--dashboards", "20"])
        self.assertEqual(options.dashboards, 20)
        self.assertEqual(options.generator, ["--quick"])
        self.assertEqual(parse([]).dashboards, 0)
        for bad in (["--dashboards"], ["--dashboards", "0"], ["--dashboards", "x"]):
            with self.assertRaises(UsageError):
                parse(bad)
