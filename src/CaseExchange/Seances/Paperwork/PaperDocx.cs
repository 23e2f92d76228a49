using DocumentFormat.OpenXml.Wordprocessing;
using CaseExchange.Seances.CompteRendu;

namespace CaseExchange.Seances.Paperwork;

/// <summary>
/// The paperwork as a Word document (OpenXML), built as <see cref="CompteRenduDocx"/> (whose paragraphs, tables and styles it uses) builds the CR: plain
/// styles Word and LibreOffice both render; document properties name the tool, never a person.
/// </summary>
public static class PaperDocx
{
    public static byte[] Render(PaperDocument d) => CompteRenduDocx.Document(d.Title, d.At, body =>
    {
        body.Append(Paragraph(d.Title, "Title"));
        body.Append(Paragraph(d.Subtitle));
        foreach (var block in d.Blocks)
        {
            switch (block)
            {
                case PaperHeading h: body.Append(Paragraph(h.Text, h.Level <= 1 ? "Heading1" : "Heading2")); break;
                case PaperParagraph p: body.Append(Paragraph(p.Text)); break;
                case PaperNotice n: body.Append(Paragraph(n.Text, "Notice")); break;
                case PaperTable t:
                    body.Append(Paragraph(t.Caption, "Heading2"));
                    var table = Table([.. t.Header], [.. t.Rows.Select(r => r.ToArray())]);
                    if (t.ForSignatures)
                        foreach (var row in table.Elements<TableRow>().Skip(1))
                            row.PrependChild(new TableRowProperties(new TableRowHeight { Val = 850U, HeightType = HeightRuleValues.AtLeast }));
                    body.Append(table);
                    body.Append(Paragraph(""));
                    break;
            }
        }
    });

    private static Paragraph Paragraph(string text, string? style = null) => CompteRenduDocx.Paragraph(text, style);

    private static Table Table(string[]? header, IReadOnlyList<string[]> rows) => CompteRenduDocx.Table(header, rows);

    private static Styles Styles() => CompteRenduDocx.Styles();
}
