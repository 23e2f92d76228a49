using CaseExchange.Http;
using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Journal.ControlReport;

/// <summary>
/// The annual control report on the auditeur's journal pages: a year (the last one over by default), « à date » for the
/// current year, the report's figures on screen and its DOCX, both from the API's use case.
/// </summary>
public sealed class RapportAnnuelModel(ControlReportServices services) : CouncilPageModel
{
    [BindProperty(SupportsGet = true, Name = "annee")] public int? Year { get; set; }

    [BindProperty(SupportsGet = true, Name = "a-date")] public bool ToDate { get; set; }

    public ControlReportContent? Report { get; private set; }

    public int CurrentYear => ControlReportPeriod.CurrentYear(Clock.GetUtcNow());

    public async Task OnGetAsync()
    {
        ControlReportUseCase.Require(CouncilRequest);
        if (Year is null) return;
        if (!Valid()) return;
        Report = await ControlReportUseCase.BuildAsync(CouncilRequest, services, Year.Value, ToDate);
    }

    /// <summary>The DOCX: the API's use case, its checks and its file.</summary>
    public async Task<IActionResult> OnGetDocxAsync()
    {
        ControlReportUseCase.Require(CouncilRequest);
        if (Year is null || !Valid()) return Page();
        return new EndpointResult(await ControlReportUseCase.DocxAsync(CouncilRequest, services, Year.Value, ToDate));
    }

    private bool Valid()
    {
        if (!ModelState.IsValid)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }
        try
        {
            ControlReportPeriod.Check(Year, ToDate, Clock.GetUtcNow()).ThrowIfAny();
            return true;
        }
        catch (ProblemException e) when (e.Problem is HttpValidationProblemDetails validation)
        {
            FormErrors.Add(ModelState, validation, "", HttpContext, field => field == "toDate" ? "a-date" : "annee");
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }
    }

    public string DocxLink => $"{Href("journal/rapport-annuel")}?handler=Docx&annee={Year}{(ToDate ? "&a-date=true" : "")}";
}
