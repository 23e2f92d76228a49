using CaseExchange.Journal;
using CaseExchange.Protection;
using CaseExchange.Situations.Referral;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Situations.Import;

/// <summary>
/// The coordonnateur's one-off import: upload form (antiforgery, 2 Mo), then the report (counts, row numbers, reason
/// codes, pseudonyms; nothing nominative) and the closing screen that asks to destroy the original file. The file is
/// read in memory and never stored.
/// </summary>
[RequestSizeLimit(SpreadsheetReader.MaxFileBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = SpreadsheetReader.MaxFileBytes + 64 * 1024)]
public sealed class ImportModel(SituationKeys keys, Pseudonyms pseudonyms, IdentityIndex index, AccessJournal journal) : CouncilPageModel
{
    [BindProperty] public IFormFile? Fichier { get; set; }

    public ImportReport? Report { get; private set; }

    public IActionResult OnGet()
    {
        ImportSpreadsheetUseCase.Authorise(CouncilRequest);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        ImportSpreadsheetUseCase.Authorise(CouncilRequest);
        return await SubmitAsync(
            async () =>
            {
                if (Fichier is null) throw ImportSpreadsheetUseCase.FileProblem("Choisissez un fichier CSV, ODS ou XLSX.");
                var content = await ImportSpreadsheetUseCase.ReadFileAsync(Fichier, HttpContext.RequestAborted);
                return await ImportSpreadsheetUseCase.HandleAsync(CouncilRequest, content, keys, pseudonyms, index, journal);
            },
            report =>
            {
                Report = report;
                return Page();
            },
            () => Task.CompletedTask,
            prefix: "");
    }

    /// <summary>The report as a data: link (it is not stored): row numbers, reason codes, pseudonyms only.</summary>
    public string CsvHref => "data:text/csv;charset=utf-8," + Uri.EscapeDataString("\uFEFF" + Report!.ToCsv());
}
