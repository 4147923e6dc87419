using System.Diagnostics.CodeAnalysis;

// RS0026 guards against adding an optional parameter to one of several overloads, which can make a call that compiled
// ambiguous. These two constructors differ in their required first parameter (a client or an address), so no call can
// match both: the optional options are safe on each.
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter.", Scope = "member", Target = "~M:OfflineSync.Http.HttpSyncTransport.#ctor(System.Net.Http.HttpClient,OfflineSync.Http.HttpSyncTransportOptions)")]
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter.", Scope = "member", Target = "~M:OfflineSync.Http.HttpSyncTransport.#ctor(System.Uri,OfflineSync.Http.HttpSyncTransportOptions)")]
