using CaseExchange.Journal.Browsing;
using CaseExchange.Web;

namespace CaseExchange.Journal.Alerts;

/// <summary>The auditor's alerts over the last ninety days, from the API's use case: members named, pseudonyms and instants only.</summary>
public sealed class AlertesModel : CouncilPageModel
{
    public JournalAlertsResponse Result { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        BrowseJournalUseCase.RequireAuditor(CouncilRequest);
        Result = await ListAlertsUseCase.HandleAsync(CouncilRequest, null, null);
    }

    public string MemberLink(Guid memberId) => $"{Href("journal")}?membre={memberId}";

    public string PseudonymLink(string pseudonym) => $"{Href("journal")}?pseudonyme={Uri.EscapeDataString(pseudonym)}";
}
