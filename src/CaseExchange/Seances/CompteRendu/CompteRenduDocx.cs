using System.Globalization;
using CaseExchange.Councils;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;

namespace CaseExchange.Seances.CompteRendu;

/// <summary>
/// The CR as a Word document (OpenXML), for the mairie's usual editing. Plain styles (title, headings, tables) that
/// Word and LibreOffice both render. Document properties name the tool, never a person. Its paragraphs, tables, styles
/// and section are the house's DOCX helpers, shared by every document the service produces (paperwork, letters,
/// plenary and control reports): they follow the Open XML schema's element order, so that the SDK's validator finds
/// no error in them (what Word would report as unreadable content).
/// </summary>
public static class CompteRenduDocx
{
    public static byte[] Render(CompteRenduContent c) => Document(CompteRenduFormats.Title(c), c.GeneratedAt, body =>
    {
        body.Append(Paragraph(CompteRenduFormats.Title(c), "Title"));
        body.Append(Paragraph(CompteRenduFormats.Subtitle(c)));
        body.Append(Paragraph(CompteRenduContent.Notice, "Notice"));

        body.Append(Paragraph("Participants", "Heading1"));
        foreach (var (title, people) in new[] { (CompteRenduFormats.NominativePartTitle, c.NominativePart), (CompteRenduFormats.GeneralPartTitle, c.GeneralPartOnly) })
        {
            body.Append(Paragraph(title, "Heading2"));
            if (people.Count == 0) body.Append(Paragraph(CompteRenduFormats.NoOne));
            foreach (var p in people) body.Append(Paragraph("• " + CompteRenduFormats.Participant(p)));
        }

        if (c.Synthese is not null)
        {
            body.Append(Paragraph("Synthèse générale", "Heading1"));
            foreach (var p in CompteRenduFormats.Paragraphs(c.Synthese)) body.Append(Paragraph(p));
        }

        body.Append(Paragraph("Situations examinées", "Heading1"));
        if (c.Examined.Count == 0) body.Append(Paragraph("Aucune situation n'a été examinée."));
        foreach (var s in c.Examined)
        {
            body.Append(Paragraph(s.Pseudonym, "Heading2"));
            body.Append(Table(null,
                ["Tranche d'âge", string.Join(", ", s.AgeBands)],
                ["Motifs", string.Join(" ; ", s.Reasons)],
                ["Secteur", s.Sector],
                ["Décisions", string.Join(" ; ", s.Decisions)]));
            if (s.Actions.Count > 0)
            {
                body.Append(Paragraph("Actions décidées"));
                body.Append(Table(["Action", "Porteur", "Échéance", "État"],
                    [.. s.Actions.Select(a => new[] { a.Kind, CompteRenduFormats.Owner(a), FrenchTime.Day(a.DueOn), a.Status })]));
            }
            if (s.Note is not null)
                foreach (var p in CompteRenduFormats.Paragraphs(s.Note)) body.Append(Paragraph(p));
        }

        if (c.Postponed.Count > 0)
        {
            body.Append(Paragraph("Situations inscrites et non examinées (reportées)", "Heading1"));
            foreach (var p in c.Postponed) body.Append(Paragraph("• " + p));
        }

        if (c.GeneralPart is { } general)
        {
            body.Append(Paragraph(CompteRenduContent.GeneralPartTitle, "Heading1"));
            body.Append(Table(["Nature", "Point", "Décision"], [.. general.Select(g => new[] { g.Kind, g.Text, g.Decision ?? CompteRenduContent.NoDecision })]));
        }

        if (c.ProchainesEtapes is not null)
        {
            body.Append(Paragraph("Prochaines étapes", "Heading1"));
            foreach (var p in CompteRenduFormats.Paragraphs(c.ProchainesEtapes)) body.Append(Paragraph(p));
        }

    });

    /// <summary>
    /// A Word document of the house's styles, whose body <paramref name="write"/> fills, ended by the A4 section. Its
    /// properties name the tool, never a person.
    /// </summary>
    internal static byte[] Document(string title, DateTimeOffset created, Action<Body> write)
    {
        using var stream = new MemoryStream();
        using (var document = WordprocessingDocument.Create(stream, WordprocessingDocumentType.Document))
        {
            document.PackageProperties.Title = title;
            document.PackageProperties.Creator = "CaseExchange";
            document.PackageProperties.LastModifiedBy = "CaseExchange";
            document.PackageProperties.Language = "fr-FR";
            document.PackageProperties.Created = created.UtcDateTime;

            var main = document.AddMainDocumentPart();
            main.AddNewPart<StyleDefinitionsPart>().Styles = Styles();
            var body = new Body();
            write(body);
            body.Append(Section());
            main.Document = new Document(body);
            main.Document.Save();
        }
        return stream.ToArray();
    }

    internal static Paragraph Paragraph(string text, string? style = null)
    {
        var paragraph = new Paragraph();
        if (style is not null) paragraph.Append(new ParagraphProperties(new ParagraphStyleId { Val = style }));
        // Line breaks inside a paragraph become Word breaks; text is never interpreted.
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var run = new Run();
        for (var i = 0; i < lines.Length; i++)
        {
            if (i > 0) run.Append(new Break());
            run.Append(new Text(lines[i]) { Space = SpaceProcessingModeValues.Preserve });
        }
        paragraph.Append(run);
        return paragraph;
    }

    /// <summary>
    /// A bordered table over the page's width, its header (if any) in bold, one grid column per cell of its first row:
    /// children in the Open XML schema's order (properties, grid, rows; borders top-left-bottom-right), so that Word
    /// finds nothing unreadable in it.
    /// </summary>
    internal static Table Table(string[]? header, params IReadOnlyList<string[]> rows)
    {
        var border = new EnumValue<BorderValues>(BorderValues.Single);
        var table = new Table(new TableProperties(
            new TableWidth { Width = "5000", Type = TableWidthUnitValues.Pct },
            new TableBorders(
                new TopBorder { Val = border, Size = 4 }, new LeftBorder { Val = border, Size = 4 },
                new BottomBorder { Val = border, Size = 4 }, new RightBorder { Val = border, Size = 4 },
                new InsideHorizontalBorder { Val = border, Size = 4 }, new InsideVerticalBorder { Val = border, Size = 4 })));
        // 9638 twentieths of a point: the A4 page's width within the section's margins, shared equally.
        var columns = Math.Max(1, (header ?? rows.FirstOrDefault() ?? []).Length);
        var width = (TextWidth / columns).ToString(CultureInfo.InvariantCulture);
        table.Append(new TableGrid(Enumerable.Range(0, columns).Select(_ => new GridColumn { Width = width })));
        if (header is not null) table.Append(Row(header, bold: true));
        foreach (var row in rows) table.Append(Row(row, bold: false));
        return table;
    }

    /// <summary>The A4 page's width within the section's margins (<see cref="Section"/>), in twentieths of a point.</summary>
    internal const int TextWidth = 9638;

    /// <summary>The section every document ends with: A4, 2 cm margins.</summary>
    internal static SectionProperties Section() => new(
        new PageSize { Width = 11906U, Height = 16838U },
        new PageMargin { Top = 1134, Bottom = 1134, Left = 1134U, Right = 1134U, Header = 567U, Footer = 567U, Gutter = 0U });

    private static TableRow Row(string[] cells, bool bold) => new(cells.Select(text =>
    {
        var run = new Run(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
        if (bold) run.PrependChild(new RunProperties(new Bold()));
        return new TableCell(new Paragraph(run));
    }));

    internal static Styles Styles()
    {
        static Style Heading(string id, string name, int halfPoints, bool bold = true, string? color = null)
        {
            // Schema order: bold, colour, then size (rPr); keep-with-next, then spacing (pPr).
            var runProperties = new StyleRunProperties();
            if (bold) runProperties.Append(new Bold());
            if (color is not null) runProperties.Append(new Color { Val = color });
            runProperties.Append(new FontSize { Val = halfPoints.ToString(CultureInfo.InvariantCulture) });
            return new Style(
                new StyleName { Val = name }, new BasedOn { Val = "Normal" }, new NextParagraphStyle { Val = "Normal" },
                new StyleParagraphProperties(new KeepNext(), new SpacingBetweenLines { Before = "240", After = "120" }),
                runProperties)
            { Type = StyleValues.Paragraph, StyleId = id };
        }

        return new Styles(
            new DocDefaults(
                new RunPropertiesDefault(new RunPropertiesBaseStyle(
                    new RunFonts { Ascii = "Liberation Sans", HighAnsi = "Liberation Sans", ComplexScript = "Liberation Sans" },
                    new FontSize { Val = "22" }, new Languages { Val = "fr-FR" })),
                new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(new SpacingBetweenLines { After = "120" }))),
            new Style(new StyleName { Val = "Normal" }) { Type = StyleValues.Paragraph, StyleId = "Normal", Default = true },
            Heading("Title", "Title", 36),
            Heading("Heading1", "heading 1", 28),
            Heading("Heading2", "heading 2", 24),
            Heading("Notice", "Notice", 20, bold: false, color: "990000"));
    }
}
