"""What a visit costs, for `make bench`: bytes transferred (first visit, then a repeat visit with the
browser's cache kept) and the largest contentful paint on a slow phone.  Measured in Debian's
Chromium on a loopback server; nothing here asserts.

The phone is the issue's slow-4G profile (Lighthouse's mobile default): 150 ms round trip,
1.6 Mbit/s down, 750 kbit/s up, the CPU slowed 4x, a 412x823 touch screen.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from support.chromium import chromium

SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1.6e6 / 8, "uploadThroughput": 750e3 / 8}
CPU_SLOWDOWN = 4
PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True, "has_touch": True}

# The last largest-contentful-paint entry before the page is read is the page's LCP.
LCP_OBSERVER = """
window.__lcp = null;
new PerformanceObserver((list) => {
  const entries = list.getEntries();
  window.__lcp = entries[entries.length - 1].startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
"""


@dataclass(frozen=True)
class Visit:
    bytes: int  # response bodies as transferred (compressed when the server compresses)
    responses: int  # responses that brought a body


def visits(base_url: str, paths: list[str]) -> list[Visit]:
    """Each path visited in turn in one browser, its HTTP cache kept: the first visit, then repeat
    visits.  A cached or 304 answer brings no body and is not counted; nor is an error answer (the
    favicon.ico a build without one is asked for would bring the whole 404 page)."""
    found: list[Visit] = []
    with chromium() as browser:
        page = browser.new_page()
        failed: set[str] = set()
        page.on("response", lambda response: failed.add(response.url) if response.status >= 400 else None)
        for path in paths:
            sizes: list[int] = []

            def count(request, sizes=sizes) -> None:
                body = request.sizes()["responseBodySize"]
                if body > 0 and request.url not in failed:
                    sizes.append(body)

            page.on("requestfinished", count)
            page.goto(base_url + path)
            page.wait_for_load_state("networkidle")
            page.remove_listener("requestfinished", count)
            found.append(Visit(sum(sizes), len(sizes)))
        page.close()
    return found


def mobile_lcp_ms(url: str, runs: int) -> float:
    """Median LCP of ``runs`` cold visits (a fresh browser context each) on the slow phone."""
    samples: list[float] = []
    with chromium() as browser:
        for _ in range(runs):
            context = browser.new_context(**PHONE)
            page = context.new_page()
            page.add_init_script(LCP_OBSERVER)
            devtools = context.new_cdp_session(page)
            devtools.send("Network.enable")
            devtools.send("Network.emulateNetworkConditions", SLOW_4G)
            devtools.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
            page.goto(url, wait_until="load")
            page.wait_for_load_state("networkidle")
            lcp = page.evaluate("window.__lcp")
            context.close()
            if lcp is None:
                raise RuntimeError(f"{url}: Chromium reported no largest contentful paint")
            samples.append(lcp)
    return statistics.median(samples)
