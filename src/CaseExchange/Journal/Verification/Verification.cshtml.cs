using CaseExchange.Journal.Browsing;
using CaseExchange.Web;

namespace CaseExchange.Journal.Verification;

/// <summary>
/// Runs the verification of the council's whole journal (after sealing the chains that moved), as the API does, and says
/// in French whether it is intact or which link is the first broken one.
/// </summary>
public sealed class VerificationModel(JournalVerification verification) : CouncilPageModel
{
    public VerificationView? Result { get; private set; }

    public void OnGet() => BrowseJournalUseCase.RequireAuditor(CouncilRequest);

    public async Task OnPostAsync() =>
        Result = await VerifyJournalUseCase.HandleAsync(CouncilRequest, verification);
}
