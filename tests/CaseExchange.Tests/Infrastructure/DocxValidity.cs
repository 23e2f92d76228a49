using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Validation;

namespace CaseExchange.Tests.Infrastructure;

/// <summary>
/// What Word would report as "unreadable content": the Open XML SDK's schema validator, run on every part of a DOCX the
/// service produced (body, styles, numbering…), must find nothing.
/// </summary>
public static class DocxValidity
{
    public static void AssertValid(byte[] docx, string what)
    {
        using var document = WordprocessingDocument.Open(new MemoryStream(docx), false);
        Assert.NotNull(document.MainDocumentPart?.Document);
        Assert.NotNull(document.MainDocumentPart.StyleDefinitionsPart?.Styles);
        var errors = new OpenXmlValidator(FileFormatVersions.Office2019).Validate(document)
            .Select(e => $"{e.Part?.Uri} {e.Path?.XPath}: {e.Description}").ToList();
        Assert.True(errors.Count == 0, $"{what}: {errors.Count} OpenXML validation error(s)\n{string.Join("\n", errors.Take(20))}");
    }
}
