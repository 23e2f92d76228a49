using CaseExchange.Web;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Journal.MyTraces;

/// <summary>The member's own traces in the access journal, from the API's use case.</summary>
public sealed class MesTracesModel : CouncilPageModel
{
    [BindProperty(SupportsGet = true, Name = "numero")] public int? PageNumber { get; set; }

    public MyTracesResponse Traces { get; private set; } = null!;

    public int PageCount => (int)Math.Max(1, (Traces.TotalCount + Traces.PageSize - 1) / Traces.PageSize);

    public async Task OnGetAsync() => Traces = await MyTracesUseCase.HandleAsync(CouncilRequest, PageNumber, MyTracesUseCase.DefaultPageSize);

    public string Link(int page) => $"{Href("mes-traces")}?numero={page}";
}
