using CaseExchange.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using PdfSharp.Drawing;
using PdfSharp.Fonts;
using PdfSharp.Pdf;

namespace CaseExchange.Seances.Paperwork;

/// <summary>
/// The paperwork as a PDF (PDFsharp 6.2.4, MIT), the same blocks as the DOCX: A4, 2 cm margins, wrapped text, page breaks,
/// tables as aligned rows (header repeated on each page). The text is drawn in DejaVu Sans read from Debian's
/// fonts-dejavu-core (embedded as a subset): if the font is missing, only the PDF fails, with a 503 problem naming it.
/// Document properties name the tool, never a person.
/// </summary>
public static class PaperPdf
{
    public const string ContentType = "application/pdf";
    public const string FontDirectory = "/usr/share/fonts/truetype/dejavu";
    public const string Family = "DejaVu Sans";
    private const string Regular = "DejaVuSans.ttf", Bold = "DejaVuSans-Bold.ttf", Oblique = "DejaVuSans-Oblique.ttf";

    private static readonly Lock FontLock = new();
    private static bool _fontsInstalled;

    /// <summary>Pure: why the fonts of <paramref name="directory"/> cannot be used, or null when they can.</summary>
    public static string? MissingFont(string directory)
    {
        var missing = new[] { Regular, Bold, Oblique }.Where(f => !File.Exists(Path.Combine(directory, f))).ToList();
        return missing.Count == 0 ? null
            : $"La police DejaVu Sans est absente du serveur ({string.Join(", ", missing.Select(f => Path.Combine(directory, f)))}) : " +
              "installez le paquet Debian fonts-dejavu-core. Les versions DOCX et HTML restent disponibles.";
    }

    public static byte[] Render(PaperDocument d)
    {
        EnsureFonts();
        using var pdf = new PdfDocument();
        pdf.Info.Title = d.Title;
        pdf.Info.Author = "CaseExchange";
        pdf.Info.Creator = "CaseExchange";
        pdf.Info.CreationDate = d.At.UtcDateTime;
        pdf.Info.ModificationDate = d.At.UtcDateTime;
        pdf.Language = "fr-FR";

        var flow = new PdfTextFlow(pdf);
        flow.Text(d.Title, PdfTextFlow.TitleFont, spaceAfter: 6);
        flow.Text(d.Subtitle, PdfTextFlow.BodyFont, spaceAfter: 10);
        foreach (var block in d.Blocks)
        {
            switch (block)
            {
                case PaperHeading h: flow.Heading(h.Text, h.Level <= 1 ? PdfTextFlow.HeadingFont : PdfTextFlow.SubheadingFont); break;
                case PaperParagraph p: flow.Text(p.Text, PdfTextFlow.BodyFont, spaceAfter: 6); break;
                case PaperNotice n: flow.Notice(n.Text); break;
                case PaperTable t:
                    flow.Heading(t.Caption, PdfTextFlow.SubheadingFont);
                    flow.Table(t.Header, t.Rows, t.ForSignatures);
                    break;
            }
        }
        flow.Finish();
        using var stream = new MemoryStream();
        pdf.Save(stream, false);
        return stream.ToArray();
    }

    private static void EnsureFonts()
    {
        lock (FontLock)
        {
            if (_fontsInstalled) return;
            if (MissingFont(FontDirectory) is { } why)
                throw new ProblemException(new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable, Type = ProblemTypes.Unavailable,
                    Title = "Version PDF indisponible", Detail = why,
                });
            // PDFsharp's resolver is process-wide and set once; a resolver set by someone else is left alone.
            GlobalFontSettings.FontResolver ??= new DejaVuResolver();
            _fontsInstalled = true;
        }
    }

    /// <summary>Only DejaVu Sans, whatever family is asked for; bold and oblique faces from their own files.</summary>
    private sealed class DejaVuResolver : IFontResolver
    {
        public FontResolverInfo ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
            new(isBold ? Bold : isItalic ? Oblique : Regular);

        public byte[] GetFont(string faceName) => File.ReadAllBytes(Path.Combine(FontDirectory, faceName));
    }
}

/// <summary>
/// A minimal text layout on A4 pages: words wrapped to the width (a word longer than a line is cut), a new page when the
/// next line would cross the bottom margin, tables whose columns share the width by their content.
/// </summary>
internal sealed class PdfTextFlow(PdfDocument pdf)
{
    public static readonly XFont TitleFont = new(PaperPdf.Family, 16, XFontStyleEx.Bold);
    public static readonly XFont HeadingFont = new(PaperPdf.Family, 13, XFontStyleEx.Bold);
    public static readonly XFont SubheadingFont = new(PaperPdf.Family, 11, XFontStyleEx.Bold);
    public static readonly XFont BodyFont = new(PaperPdf.Family, 10, XFontStyleEx.Regular);
    public static readonly XFont NoticeFont = new(PaperPdf.Family, 10, XFontStyleEx.Italic);
    private static readonly XFont CellFont = new(PaperPdf.Family, 9, XFontStyleEx.Regular);
    private static readonly XFont HeaderCellFont = new(PaperPdf.Family, 9, XFontStyleEx.Bold);

    private const double Margin = 56.7; // 2 cm
    private const double CellPadding = 3;
    private const double SignatureHeight = 34;

    private PdfPage? _page;
    private XGraphics? _gfx;
    private double _y;

    private double Left => Margin;
    private double Width => Page.Width.Point - 2 * Margin;
    private double Bottom => Page.Height.Point - Margin;

    private PdfPage Page
    {
        get
        {
            if (_page is null) NewPage();
            return _page!;
        }
    }

    private XGraphics Gfx
    {
        get
        {
            if (_gfx is null) NewPage();
            return _gfx!;
        }
    }

    private void NewPage()
    {
        _gfx?.Dispose();
        _page = pdf.AddPage();
        _page.Size = PdfSharp.PageSize.A4;
        _gfx = XGraphics.FromPdfPage(_page);
        _y = Margin;
    }

    private static double LineHeight(XFont font) => font.Size * 1.35;

    /// <summary>Room for <paramref name="height"/> more points, or a new page.</summary>
    private void Need(double height)
    {
        _ = Gfx;
        if (_y + height > Bottom && _y > Margin) NewPage();
    }

    public void Heading(string text, XFont font)
    {
        _ = Gfx;
        _y += 6;
        // A heading is never left alone at the bottom of a page: it keeps two body lines with it.
        Need(LineHeight(font) + 2 * LineHeight(BodyFont));
        Text(text, font, spaceAfter: 4);
    }

    public void Text(string text, XFont font, double spaceAfter, double indent = 0, XBrush? brush = null)
    {
        foreach (var line in Wrap(text, font, Width - indent))
        {
            Need(LineHeight(font));
            Gfx.DrawString(line, font, brush ?? XBrushes.Black, new XRect(Left + indent, _y, Width - indent, LineHeight(font)), XStringFormats.TopLeft);
            _y += LineHeight(font);
        }
        _y += spaceAfter;
    }

    public void Notice(string text)
    {
        _ = Gfx;
        var top = _y;
        var startPage = _page;
        Text(text, NoticeFont, spaceAfter: 0, indent: 12, brush: new XSolidBrush(XColor.FromArgb(0x66, 0, 0)));
        // The red rule beside the notice (on its last page only when it was split).
        var from = _page == startPage ? top : Margin;
        Gfx.DrawLine(new XPen(XColor.FromArgb(0x99, 0, 0), 3), Left + 2, from, Left + 2, _y);
        _y += 8;
    }

    public void Table(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, bool forSignatures)
    {
        var columns = Math.Max(header.Count, rows.Count == 0 ? 0 : rows.Max(r => r.Count));
        if (columns == 0) return;
        var widths = ColumnWidths(header, rows, columns);
        var border = new XPen(XColors.DimGray, 0.6);

        void Row(IReadOnlyList<string> cells, XFont font, double minHeight, bool isHeader)
        {
            var wrapped = Enumerable.Range(0, columns)
                .Select(i => Wrap(i < cells.Count ? cells[i] : "", font, widths[i] - 2 * CellPadding)).ToList();
            var height = Math.Max(minHeight, wrapped.Max(w => w.Count) * LineHeight(font) + 2 * CellPadding);
            if (_y + height > Bottom && _y > Margin)
            {
                NewPage();
                if (!isHeader) Row(header, HeaderCellFont, 0, isHeader: true);
            }
            var x = Left;
            for (var i = 0; i < columns; i++)
            {
                if (isHeader) Gfx.DrawRectangle(new XSolidBrush(XColor.FromArgb(0xEE, 0xEE, 0xEE)), x, _y, widths[i], height);
                Gfx.DrawRectangle(border, x, _y, widths[i], height);
                var lineY = _y + CellPadding;
                foreach (var line in wrapped[i])
                {
                    Gfx.DrawString(line, font, XBrushes.Black, new XRect(x + CellPadding, lineY, widths[i] - 2 * CellPadding, LineHeight(font)), XStringFormats.TopLeft);
                    lineY += LineHeight(font);
                }
                x += widths[i];
            }
            _y += height;
        }

        _ = Gfx;
        Need(LineHeight(HeaderCellFont) * 2 + 4 * CellPadding);
        Row(header, HeaderCellFont, 0, isHeader: true);
        foreach (var row in rows) Row(row, CellFont, forSignatures ? SignatureHeight : 0, isHeader: false);
        _y += 10;
    }

    /// <summary>Each column gets its natural width when all fit; otherwise the width is shared by content, none under 50 pt.</summary>
    private double[] ColumnWidths(IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, int columns)
    {
        var natural = new double[columns];
        for (var i = 0; i < columns; i++)
        {
            var cells = rows.Select(r => i < r.Count ? r[i] : "").Append(i < header.Count ? header[i] : "");
            natural[i] = Math.Max(50, cells.Max(c => Gfx.MeasureString(c, CellFont).Width) + 2 * CellPadding + 1);
        }
        var total = natural.Sum();
        if (total <= Width)
        {
            var extra = (Width - total) / columns;
            return [.. natural.Select(n => n + extra)];
        }
        var capped = natural.Select(n => Math.Min(n, Width / 2)).ToArray();
        var sum = capped.Sum();
        return Scale([.. capped.Select(c => Math.Max(50, c / sum * Width))], Width);
    }

    private static double[] Scale(double[] widths, double total)
    {
        var sum = widths.Sum();
        return [.. widths.Select(w => w / sum * total)];
    }

    /// <summary>Word wrapping by measure; explicit line breaks are kept; an empty text is one empty line.</summary>
    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        foreach (var paragraph in (text ?? "").Replace("\r\n", "\n").Split('\n'))
        {
            var current = "";
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var candidate = current.Length == 0 ? word : current + " " + word;
                if (Gfx.MeasureString(candidate, font).Width <= width) { current = candidate; continue; }
                if (current.Length > 0) lines.Add(current);
                current = word;
                // A word wider than the line is cut where it no longer fits.
                while (current.Length > 1 && Gfx.MeasureString(current, font).Width > width)
                {
                    var cut = current.Length - 1;
                    while (cut > 1 && Gfx.MeasureString(current[..cut], font).Width > width) cut--;
                    lines.Add(current[..cut]);
                    current = current[cut..];
                }
            }
            lines.Add(current);
        }
        return lines;
    }

    public void Finish() => _gfx?.Dispose();
}
