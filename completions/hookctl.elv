
use builtin;
use str;

set edit:completion:arg-completer[hookctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hookctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hookctl'= {
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Check hook files for errors that keep webhook from loading or running them'
            cand lint 'Check hook files for insecure, dead and non-portable hooks'
            cand simulate 'Show whether a request fires a hook, which rule decides, and what webhook would run'
            cand serve 'Serve hook files like webhook, for development: same routes, answers and commands'
            cand sign 'Compute payload signatures and ready-to-send signed test requests'
            cand schema 'Print the JSON Schema (draft-07) of webhook hook files'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hookctl;validate'= {
            cand --format 'Output format'
            cand --target 'With --template: the webhook release whose template functions are available'
            cand --env 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets'
            cand --env-file 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)'
            cand --credentials-dir 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)'
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand --deny-warnings 'Exit with status 1 when there are warnings, not only errors'
            cand --template 'Render hook files as Go templates first, as `webhook -template` does'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hookctl;lint'= {
            cand --format 'Output format'
            cand --deny 'Report this rule (code or name) as an error; repeatable'
            cand --warn 'Report this rule as a warning; repeatable'
            cand --allow 'Do not report this rule; repeatable'
            cand --target 'The webhook release the files are written for'
            cand --config 'Use this project file instead of looking for .hookctl.toml'
            cand --list-rules 'Print the catalog of rules and exit'
            cand --explain 'Print the documentation of one rule (code or name) and exit'
            cand --env 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets'
            cand --env-file 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)'
            cand --credentials-dir 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)'
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand --check-files 'Check that commands and working directories exist here (default: only when their parent directory exists on this machine); see --no-check-files'
            cand --no-check-files 'Never look at the files hooks name'
            cand --no-config 'Ignore any .hookctl.toml'
            cand --no-suppressions 'Ignore `x-hookctl-allow` keys and `[[lint.ignore]]` entries (for audits)'
            cand --deny-warnings 'Exit with status 1 when there are warnings, not only errors'
            cand --template 'Render hook files as Go templates first, as `webhook -template` does'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hookctl;simulate'= {
            cand --hooks 'Hook file to load, as webhook''s -hooks (repeatable)'
            cand --hook 'The hook to send the request to; default: the hook the request''s path names'
            cand --request 'A raw HTTP/1.1 request (as saved by `hookctl serve --record`; `-` for stdin)'
            cand --delivery 'A GitHub delivery as returned by GitHub''s "get a delivery" API'
            cand --payload 'The request body, read from a file (`-` for stdin)'
            cand --header 'A request header, added to the request (repeatable)'
            cand --query 'A query parameter, added to the request''s URL (repeatable)'
            cand --method 'The request method (default POST, or the recorded one)'
            cand --remote-addr 'The peer address `ip:port` that ip-whitelist rules see'
            cand --content-type 'The Content-Type header (default from the payload''s file extension)'
            cand --urlprefix 'webhook''s -urlprefix'
            cand --http-methods 'webhook''s -http-methods'
            cand --response-header 'webhook''s -header: a response header on every hook response (repeatable)'
            cand --max-multipart-mem 'webhook''s -max-multipart-mem, in bytes'
            cand --timeout 'With --exec: kill the command after this many seconds'
            cand --format 'Output format'
            cand --expect 'Exit 0 only if the hook fires (`fire`) or only if it does not (`no-fire`)'
            cand --target 'With --template: the webhook release whose template functions are available'
            cand --env 'With --template: an environment variable for `getenv` (repeatable); any --env or --env-file replaces the real environment, so CI can render with dummy secrets'
            cand --env-file 'With --template: read KEY=VALUE lines for `getenv` from a file (repeatable)'
            cand --credentials-dir 'With --template: the folder `credential` reads ($CREDENTIALS_DIRECTORY)'
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand --exec 'Really run the command (without a shell) to show its output in the response'
            cand --template 'Render hook files as Go templates first, as `webhook -template` does'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hookctl;serve'= {
            cand --hooks 'Hook file to serve (repeatable) [default: hooks.json]'
            cand --ip 'Address to listen on; IPv6 needs brackets (`[::1]`)'
            cand --port 'Port to listen on (0 picks a free one, shown in the log)'
            cand --socket 'Listen on this Unix socket instead of --ip/--port (webhook 2.8.2)'
            cand --urlprefix 'URL prefix of hook routes: /PREFIX/{id}'
            cand --logfile 'Append the log to FILE instead of stderr (implies --verbose)'
            cand --http-methods 'Methods hooks accept unless they list their own, comma-separated'
            cand --header 'Response header on every hook response (repeatable)'
            cand --max-multipart-mem 'Memory for multipart bodies, in bytes'
            cand --x-request-id-limit 'Keep at most this many bytes of X-Request-Id (0: all)'
            cand --pidfile 'Write the process id to FILE; refuse to start if it names a running process'
            cand --cert 'PEM certificate for --secure'
            cand --key 'PEM private key for --secure'
            cand --tls-min-version 'Lowest TLS version for --secure: 1.2 or 1.3 (1.0 and 1.1 become 1.2)'
            cand --command-timeout 'Kill a command''s process group after DURATION (`30s`, `5m`); captured hooks answer 500 [default: no limit, like webhook]'
            cand --max-concurrent 'Run at most N commands at once; more wait in a queue, nothing is refused [default: no limit, like webhook]'
            cand --shutdown-grace 'On SIGINT/SIGTERM, wait this long for requests and commands before killing them'
            cand --read-timeout 'Drop a client that takes longer than this to send a request head or body'
            cand --max-body-size 'Answer 413 to bodies over SIZE (`10MiB`, `512K`, bytes), without reading them'
            cand --max-header-size 'Answer 431 to request heads over SIZE [default: Go''s 1 MiB + 4 KiB]'
            cand --log-format 'Log format: `text` (webhook-style lines) or `json` (one object per line)'
            cand --record 'Save every request as a raw HTTP file in DIR, for `hookctl simulate --request`'
            cand --health-path 'Path of the JSON health check (GET)'
            cand --metrics-path 'Path of the Prometheus metrics (GET)'
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand --template 'Render hook files as Go templates (not supported yet: hookctl refuses to start)'
            cand --verbose 'Log webhook''s own lines too (and allow serving without hooks)'
            cand --debug 'Also dump every request and response (implies --verbose)'
            cand --nopanic 'Serve even when no hook could be loaded'
            cand --hotreload 'Reload hook files when they change (watches their directories)'
            cand --x-request-id 'Use the X-Request-Id header as the request id in logs'
            cand --secure 'Serve HTTPS with --cert and --key'
            cand --dry-run 'Evaluate requests and log what would run, but run nothing'
            cand --no-health 'Turn the health check off'
            cand --no-metrics 'Turn the metrics off'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hookctl;sign'= {
            cand -a 'The HMAC hash (default sha256)'
            cand --algorithm 'The HMAC hash (default sha256)'
            cand --header 'The signature header (default X-Hub-Signature for sha1, X-Hub-Signature-256 for sha256, X-Hub-Signature-512 for sha512)'
            cand --provider 'Sign as this sender does, with all the headers it sends'
            cand --secret-env 'Read the secret from this environment variable; POINTER=VAR for one match of a hook (repeatable)'
            cand --secret-file 'Read the secret from this file, without one final line break; POINTER=PATH for one match of a hook (repeatable)'
            cand --secret 'The secret itself (it stays in your shell history: prefer --secret-env); POINTER=VALUE for one match of a hook (repeatable)'
            cand --hooks 'Hook file to read the hook''s signature matches from (repeatable)'
            cand --hook 'The hook to sign for; without --hooks, only used for the request''s URL'
            cand -o 'What to print'
            cand --output 'What to print'
            cand --url 'The URL of the request (curl, http, json); default from --hook, --host, --port and --urlprefix'
            cand --urlprefix 'webhook''s -urlprefix, for the default URL'
            cand --host 'The host of the default URL'
            cand --port 'The port of the default URL'
            cand --method 'The request method (default POST, or the hook''s first http-methods entry)'
            cand --content-type 'The Content-Type to send (default from the payload''s extension, else application/json); a multipart type makes webhook sign zero bytes'
            cand --add-header 'An extra header for the request (repeatable)'
            cand --date 'Scalr''s Date header, in webhook''s layout `Mon 02 Jan 2006 15:04:05 MST` (default now)'
            cand --timestamp 'The Unix time Slack, Stripe and Standard Webhooks sign (default now)'
            cand --webhook-id 'Standard Webhooks'' message id (default a fresh `msg_…`)'
            cand --verify 'Check this signature against the payload instead of printing one: exit 0 when it matches, 1 when not, with the likely cause'
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand --prefix 'Write the algorithm''s prefix (`sha256=`) before the hex; the default except for Gitea, Forgejo and Gogs headers. --no-prefix writes bare hex'
            cand --no-prefix 'no-prefix'
            cand --use-file-secrets 'With --hooks: sign with the secrets written in the hook file, for matches given no other secret'
            cand --allow-empty-secret 'Sign with an empty secret instead of refusing it'
            cand --form 'Send the payload as GitHub''s form deliveries do: `payload=<URL-encoded payload>`, and sign that body'
            cand -v 'Say what is signed, with which secret source, and how many bytes (never the secret)'
            cand --verbose 'Say what is signed, with which secret source, and how many bytes (never the secret)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hookctl;schema'= {
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hookctl;completions'= {
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hookctl;help'= {
            cand validate 'Check hook files for errors that keep webhook from loading or running them'
            cand lint 'Check hook files for insecure, dead and non-portable hooks'
            cand simulate 'Show whether a request fires a hook, which rule decides, and what webhook would run'
            cand serve 'Serve hook files like webhook, for development: same routes, answers and commands'
            cand sign 'Compute payload signatures and ready-to-send signed test requests'
            cand schema 'Print the JSON Schema (draft-07) of webhook hook files'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hookctl;help;validate'= {
        }
        &'hookctl;help;lint'= {
        }
        &'hookctl;help;simulate'= {
        }
        &'hookctl;help;serve'= {
        }
        &'hookctl;help;sign'= {
        }
        &'hookctl;help;schema'= {
        }
        &'hookctl;help;completions'= {
        }
        &'hookctl;help;help'= {
        }
    ]
    $completions[$command]
}
