using System.Diagnostics.CodeAnalysis;

// RS0026 guards against adding an optional parameter to one of several overloads, which can make a call that compiled
// ambiguous. These two constructors differ in their required first parameter (a client or an address), so no call can
// match both: the optional options are safe on each.
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter.", Scope = "member", Target = "~M:OfflineSync.Http.HttpSyncTransport.#ctor(System.Net.Http.HttpClient,OfflineSync.Http.HttpSyncTransportOptions)")]
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "The overloads differ in their required first parameter.", Scope = "member", Target = "~M:OfflineSync.Http.HttpSyncTransport.#ctor(System.Uri,OfflineSync.Http.HttpSyncTransportOptions)")]

// The same for the two ways to add the token handler: one generic over the provider type, one with a provider factory.
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One overload is generic, the other takes a required provider factory.", Scope = "member", Target = "~M:Microsoft.Extensions.DependencyInjection.SyncTokenHttpClientBuilderExtensions.AddSyncTokenHandler``1(Microsoft.Extensions.DependencyInjection.IHttpClientBuilder,System.String)")]
[assembly: SuppressMessage("ApiDesign", "RS0026:Do not add multiple public overloads with optional parameters", Justification = "One overload is generic, the other takes a required provider factory.", Scope = "member", Target = "~M:Microsoft.Extensions.DependencyInjection.SyncTokenHttpClientBuilderExtensions.AddSyncTokenHandler(Microsoft.Extensions.DependencyInjection.IHttpClientBuilder,System.Func{System.IServiceProvider,OfflineSync.Http.ISyncTokenProvider},System.String)")]
