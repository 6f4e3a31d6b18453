import { parse } from "csv-parse/sync";
const text = 'a,b,c\n1,2,3\n\n"x\ny",5\n,,\nlast,1,2,3,4\n';
console.log(JSON.stringify(parse(text, { relax_column_count: true, skip_empty_lines: false, relax_quotes: true })));
console.log(JSON.stringify(parse('a;b\r\n1;"2;3"\r\n', { delimiter: ";", relax_column_count: true })));
