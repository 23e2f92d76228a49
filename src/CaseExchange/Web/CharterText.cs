using CaseExchange.Charter;
using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Microsoft.AspNetCore.Html;

namespace CaseExchange.Web;

/// <summary>
/// The charter and the règlement intérieur (Markdown files shipped with the service) as HTML, rendered once.
/// Raw HTML in the files is not passed through; headings start at level 2, under the page's own h1.
/// </summary>
public sealed class CharterText(CharterPolicy policy)
{
    private readonly Lazy<HtmlString> _html = new(() => Render(policy.FullText));

    public HtmlString Html => _html.Value;

    private static HtmlString Render(string markdown)
    {
        var pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();
        var document = Markdown.Parse(markdown, pipeline);
        foreach (var heading in document.Descendants<HeadingBlock>()) heading.Level = Math.Min(heading.Level + 1, 6);
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        pipeline.Setup(renderer);
        renderer.Render(document);
        writer.Flush();
        // Column headers of the charter's tables say which cells they head.
        return new HtmlString(writer.ToString().Replace("<th>", "<th scope=\"col\">").Replace("<th style=", "<th scope=\"col\" style="));
    }
}
