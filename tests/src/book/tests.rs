use std::path::{Path, PathBuf};

use super::*;

const FILE: &str = "line 1\n// ANCHOR: main\nline 3\n// ANCHOR: inner\nline 5\n// ANCHOR_END: inner\nline 7\n// ANCHOR_END: main\nline 9";

fn take(spec: &str) -> Option<String> {
    Selection::parse(Some(spec).filter(|s| !s.is_empty())).take(FILE)
}

#[test]
fn a_single_number_is_that_line_alone() {
    assert_eq!(take("2").as_deref(), Some("// ANCHOR: main"));
    assert_eq!(take("9").as_deref(), Some("line 9"));
}

#[test]
fn ranges_read_as_mdbook_reads_them() {
    assert_eq!(
        take("3:5").as_deref(),
        Some("line 3\n// ANCHOR: inner\nline 5")
    );
    assert_eq!(take("8:").as_deref(), Some("// ANCHOR_END: main\nline 9"));
    assert_eq!(take(":1").as_deref(), Some("line 1"));
    assert_eq!(take("").map(|t| t.lines().count()), Some(9));
    assert_eq!(take("5:3").as_deref(), Some(""));
    assert_eq!(take(":100").map(|t| t.lines().count()), Some(9));
}

#[test]
fn an_anchor_takes_its_lines_without_markers() {
    assert_eq!(take("main").as_deref(), Some("line 3\nline 5\nline 7"));
    assert_eq!(take("inner").as_deref(), Some("line 5"));
    assert_eq!(take("missing"), None);
}

#[test]
fn anchors_are_listed_in_order() {
    assert_eq!(anchors_in(FILE), ["main", "inner"]);
}

#[test]
fn includes_are_found_but_not_escaped_ones() {
    let text = "```rust\n{{#rustdoc_include ../listings/a/src/main.rs:main}}\n```\n\n\
        {{#include ../listings/a/timeline.svg}}\n\nWrite \\{{#include file.rs}} to include.\n\
        {{#include ../listings/a/src/main.rs:2}}\n{{#title Not an include}}\n";
    let found = includes(Path::new("/book/src/page.md"), text);
    let summary: Vec<(&str, PathBuf, Selection)> = found
        .iter()
        .map(|i| (i.kind.as_str(), i.target.clone(), i.selection.clone()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "rustdoc_include",
                PathBuf::from("/book/listings/a/src/main.rs"),
                Selection::Anchor("main".into())
            ),
            (
                "include",
                PathBuf::from("/book/listings/a/timeline.svg"),
                Selection::Lines {
                    start: 0,
                    end: None
                }
            ),
            (
                "include",
                PathBuf::from("/book/listings/a/src/main.rs"),
                Selection::Lines {
                    start: 1,
                    end: Some(2)
                }
            ),
        ]
    );
}

#[test]
fn summary_pages_keep_order_and_nesting() {
    let summary = "# Summary\n\n[Introduction](introduction.md)\n\n# Part\n\n\
        - [Chapter](chapter.md)\n    - [Topic](topic.md)\n- [Next](next.md)\n\n\
        [Afterword](afterword.md)\n";
    let pages = pages_in_summary(summary).unwrap();
    let order: Vec<(&Path, bool)> = pages.iter().map(|p| (p.rel.as_path(), p.nested)).collect();
    assert_eq!(
        order,
        [
            (Path::new("introduction.md"), false),
            (Path::new("chapter.md"), false),
            (Path::new("topic.md"), true),
            (Path::new("next.md"), false),
            (Path::new("afterword.md"), false),
        ]
    );
}

#[test]
fn page_links_skip_web_addresses_and_resolve_relative_paths() {
    let text = "See [a](a.md), [b](../b.md#part), [web](https://x.org/c.md) and [img](p.svg).";
    let links = page_links(Path::new("/book/src/sub/page.md"), text);
    assert_eq!(
        links,
        [
            PageLink {
                target: PathBuf::from("/book/src/sub/a.md"),
                anchor: None
            },
            PageLink {
                target: PathBuf::from("/book/src/b.md"),
                anchor: Some("part".into())
            },
        ]
    );
}

#[test]
fn code_blocks_carry_their_info_and_body() {
    let text =
        "Text\n\n```rust,noplayground\nfn main() {}\n```\n\n    indented\n\n~~~text\nout\n~~~\n";
    let blocks = code_blocks(text);
    assert_eq!(blocks.len(), 2);
    assert_eq!(
        blocks[0].attributes().collect::<Vec<_>>(),
        ["rust", "noplayground"]
    );
    assert_eq!(blocks[0].body, "fn main() {}\n");
    assert_eq!(blocks[1].info, "text");
}

#[test]
fn prose_leaves_out_code_blocks_and_html_but_keeps_inline_code() {
    let text = "# Title with `Pin`\n\nA [link](x.md) and `spawn`.\n\n```rust\nlet poll = 1;\n```\n\n\
        <!-- timing: x end -->\n\n| a | b |\n|---|---|\n| cell | `Arc` |\n";
    let pieces = prose(text);
    assert_eq!(
        pieces,
        [
            "Title with Pin",
            "A link and spawn.",
            "a",
            "b",
            "cell",
            "Arc"
        ]
    );
}
