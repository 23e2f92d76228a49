using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CaseExchange.Web.Accessibility;

/// <summary>
/// The déclaration d'accessibilité every public body's service must publish (loi n° 2005-102, art. 47; RGAA 4.1), public
/// and linked from every page's footer. Everything it states about the service comes from the committed scan results.
/// </summary>
[AllowAnonymous]
public sealed partial class DeclarationModel : PageModel
{
    public ScanResults Results { get; } = ScanResults.Committed;

    public string State => Conformity.State(Results);

    public void OnGet()
    {
    }

    /// <summary>« /c/{council}/situations/{situationId:guid} » → « /c/…/situations/… ».</summary>
    public static string Readable(string route) => Parameter().Replace(route, "…");

    [GeneratedRegex(@"\{[^}]+\}")]
    private static partial Regex Parameter();
}
