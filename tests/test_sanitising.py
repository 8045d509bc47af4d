"""Narratives are markdown as typed; what is shown contains nothing executable."""

import re

import pytest

from kraeftplan.templatetags.kp import render_markdown
from tests.builders import open_round

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://x/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">klik</a>',
    '<a href="JaVaScRiPt:alert(1)">klik</a>',
    '<a href="&#106;avascript:alert(1)">klik</a>',
    "[klik](javascript:alert(1))",
    "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![billede](javascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>*{background:url(javascript:alert(1))}</style>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="http://x/x.css">',
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    '<a href="https://example.org" onclick="alert(1)">ok</a>',
    "<img src=file:///etc/passwd>",
]

DANGEROUS = re.compile(
    r"<\s*(script|iframe|object|embed|style|meta|link|form|svg|math|img|body)\b|"
    r"\bon[a-z]+\s*=|javascript:|data:text/html|file:",
    re.I,
)


@pytest.mark.parametrize("payload", PAYLOADS)
def test_nothing_executable_comes_out(payload):
    html = render_markdown(f"Tekst før\n\n{payload}\n\nTekst efter")
    assert not DANGEROUS.search(html), html
    assert "Tekst før" in html


def test_ordinary_markdown_survives():
    html = render_markdown("**Fed** og *kursiv*\n\n- punkt\n- [link](https://www.sst.dk/)")
    assert "<strong>Fed</strong>" in html and "<em>kursiv</em>" in html and "<li>punkt</li>" in html
    assert 'href="https://www.sst.dk/"' in html and 'rel="noopener noreferrer"' in html


@pytest.mark.django_db
def test_a_bare_web_address_becomes_a_link_and_links_stay_as_they_are():
    cited = (
        "markant i Danmark (https://www.tandfonline.com/doi/full/10.1080/0284186X.2020.1822544)."
    )
    assert render_markdown(cited) == (
        '<p>markant i Danmark (<a href="https://www.tandfonline.com/doi/full/10.1080/'
        '0284186X.2020.1822544" rel="noopener noreferrer">https://www.tandfonline.com/doi/full/'
        "10.1080/0284186X.2020.1822544</a>).</p>"
    )
    linked = "[artiklen](https://example.org/a) og <https://example.org/b>"
    html = render_markdown(linked)
    assert html.count("<a ") == 2 and ">artiklen</a>" in html
    assert "<a" not in render_markdown('javascript:alert(1) "https://" <b>')


def test_payloads_in_a_contribution_are_harmless_on_its_page(client, ministry, kp4):
    from datetime import date

    from contributions.models import ContributionItem, ProposedCase

    round_ = open_round(kp4, 2020, date(2021, 1, 15))
    ContributionItem.objects.filter(contribution__round=round_).update(
        narrative="\n\n".join(PAYLOADS)
    )
    contribution = round_.contributions.get(organisation__slug="kl")
    for payload in PAYLOADS:
        ProposedCase.objects.create(
            item=contribution.items.first(), title=payload[:300], text=payload
        )
    contribution.items.update(category="on_track", wording="x")
    contribution.submit(ministry)
    contribution.approve(ministry)
    client.force_login(ministry)
    for url in [f"/bidrag/{contribution.pk}/", f"/bidrag/runder/{round_.pk}/konsolider/"]:
        page = client.get(url).content.decode()
        main = page.split("<main", 1)[1].split("</main>", 1)[0]
        # The page's own forms (adopting a case, saving a status) are the only forms allowed.
        tags = [
            t
            for t in re.findall(r"<[^>]+>", main)
            if not re.fullmatch(r'<form method="post"( id="konsolider-\d+")?>', t)
        ]
        assert not [t for t in tags if DANGEROUS.search(t)], (
            f"an executable tag or attribute got through on {url}"
        )
        assert "<script" not in main.lower()
