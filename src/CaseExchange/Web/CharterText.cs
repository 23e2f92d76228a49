using CaseExchange.Charter;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;
using System.Collections.Concurrent;
using Microsoft.AspNetCore.Html;

namespace CaseExchange.Web;

/// <summary>
/// The charter and the règlement intérieur (Markdown files shipped with the service) as HTML, rendered once.
/// Raw HTML in the files is not passed through; headings start at level 2, under the page's own h1.
/// </summary>
public sealed class CharterText(CharterPolicy policy)
{
    private readonly Lazy<HtmlString> _html = new(() => Render(policy.FullText));
    private readonly ConcurrentDictionary<string, HtmlString> _versions = new();

    public HtmlString Html => _html.Value;

    /// <summary>A version's text (a council's own, typed by its coordonnateur), rendered once per fingerprint.</summary>
    public HtmlString For(string fingerprint, string markdown) =>
        fingerprint == policy.Fingerprint ? Html : _versions.GetOrAdd(fingerprint, _ => Render(markdown));

    private static HtmlString Render(string markdown)
    {
        var pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();
        var document = Markdown.Parse(markdown, pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>()) heading.Level = Math.Min(heading.Level + 1, 6);
        // Links and images go to web or mail addresses only (a council's text is typed in a form).
        foreach (var link in document.Descendants<LinkInline>())
            if (link.Url is { } url && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                && !url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && !url.StartsWith('#'))
                link.Url = "#";
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        // Column headers of the charter's tables say which cells they head.
        return new HtmlString(writer.ToString().Replace("<th>", "<th scope=\"col\">").Replace("<th style=", "<th scope=\"col\" style="));
    }
}
