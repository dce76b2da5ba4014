
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
            cand schema 'Print the JSON Schema (draft-07) of webhook hook files'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hookctl;validate'= {
            cand --format 'Output format'
            cand --color 'When to use colours: auto (when writing to a terminal and NO_COLOR is unset), always or never'
            cand --deny-warnings 'Exit with status 1 when there are warnings, not only errors'
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
            cand schema 'Print the JSON Schema (draft-07) of webhook hook files'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hookctl;help;validate'= {
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
