"""Retype's Markdown components, each a markdown-it-py plugin in a module of its own."""

from __future__ import annotations

from markdown_it import MarkdownIt

from docsite.markdown.components.abbreviations import abbreviations_plugin
from docsite.markdown.components.actions import action_links_plugin
from docsite.markdown.components.alerts import alerts_plugin
from docsite.markdown.components.backlinks import backlinks_plugin
from docsite.markdown.components.badge import badge_plugin
from docsite.markdown.components.block_ids import block_ids_plugin
from docsite.markdown.components.button import button_plugin
from docsite.markdown.components.callout import callout_plugin
from docsite.markdown.components.card import card_plugin
from docsite.markdown.components.cardlist import cardlist_plugin
from docsite.markdown.components.color_chip import color_chip_plugin
from docsite.markdown.components.columns import columns_plugin
from docsite.markdown.components.comments import comments_plugin
from docsite.markdown.components.container import container_plugin
from docsite.markdown.components.embed import embed_plugin
from docsite.markdown.components.file import file_plugin
from docsite.markdown.components.icons import icons_plugin
from docsite.markdown.components.image import image_plugin
from docsite.markdown.components.lists import lists_plugin
from docsite.markdown.components.math import math_plugin
from docsite.markdown.components.panel import panel_plugin
from docsite.markdown.components.reference import reference_plugin
from docsite.markdown.components.snippet import snippet_plugin
from docsite.markdown.components.steps import steps_plugin
from docsite.markdown.components.table_calls import table_calls_plugin
from docsite.markdown.components.tabs import tabs_plugin
from docsite.markdown.components.wikilink import wikilink_plugin

PLUGINS = (
    comments_plugin,
    callout_plugin,
    tabs_plugin,
    panel_plugin,
    steps_plugin,
    columns_plugin,
    container_plugin,
    snippet_plugin,
    backlinks_plugin,
    badge_plugin,
    button_plugin,
    reference_plugin,
    card_plugin,
    file_plugin,
    icons_plugin,
    math_plugin,
    table_calls_plugin,
    color_chip_plugin,
    action_links_plugin,
    wikilink_plugin,
    block_ids_plugin,
    cardlist_plugin,
    image_plugin,
    embed_plugin,
    alerts_plugin,
    lists_plugin,
    abbreviations_plugin,
)


def components_plugin(md: MarkdownIt) -> None:
    for plugin in PLUGINS:
        md.use(plugin)
