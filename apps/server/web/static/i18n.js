/* bankflow web app: the two languages. Pages are written in Portuguese (pt-BR); elements with
 * data-i18n="key" get their English text from EN below, and their Portuguese text is read from
 * the page itself on load (so the Portuguese copy lives in one place). Strings built by scripts
 * (job states, errors) have both languages here. The choice is kept in localStorage and can be
 * forced with ?lang=en or ?lang=pt. */
(function () {
  'use strict';

  var STORAGE_KEY = 'bankflow.lang';

  var EN = {
    title_landing: 'bankflow — bank statement to spreadsheet in seconds',
    title_demo: 'Convert a statement — bankflow',
    skip: 'Skip to content',
    nav_main: 'Main',
    nav_banks: 'Banks',
    nav_privacy: 'Privacy',
    nav_demo: 'Convert now',
    nav_home: 'Home',
    hero_eyebrow: 'Statements and card bills from Brazilian banks',
    hero_title: 'Your bank statement, a clean spreadsheet in seconds.',
    hero_lead: 'Upload the file your bank exports — OFX, OFC, CSV, TXT, Excel (XLS/XLSX) or the bank’s own PDF statements and card bills, from a checking account or a credit card — and download a standardised spreadsheet, ready for Excel, Google Sheets or your accountant.',
    hero_cta: 'Convert my statement',
    hero_secondary: 'How it works',
    point_signup: 'No signup',
    point_phone: 'Works on your phone',
    point_delete: 'Files deleted within 24 h',
    hero_visual: 'Example: a statement exported by the bank, with messy columns, becomes a table with standard date, description and amount.',
    how_title: 'How it works',
    how_1_title: 'Export from your bank',
    how_1_text: 'In the app or internet banking, open the statement or card bill and export it as OFX or CSV (sometimes called “Money” or “spreadsheet”), or download the bank’s own PDF.',
    how_2_title: 'Upload the file here',
    how_2_text: 'Drag it onto the page or tap to choose it. We detect the bank and the format ourselves, and you watch it being processed live.',
    how_3_title: 'Download the spreadsheet',
    how_3_text: 'Standard CSV, CSV for Excel in Portuguese (decimal comma) or JSON. Dates, signed amounts and balance in the same layout for every bank.',
    banks_title: 'Supported banks',
    banks_lead: 'This list comes straight from the converter: the banks and formats it recognises today. Any bank that exports OFX works too.',
    banks_loading: 'Loading the list of banks…',
    out_title: 'What you get',
    out_1: 'One row per transaction: date, description, signed amount, balance and document number.',
    out_2: 'The same layout for every bank — combine statements from different banks without rework.',
    out_3: '“Excel pt-BR” CSV: opens straight in Excel with decimal commas and correct accents.',
    out_4: 'The statement period and the opening and closing balances, when the bank states the balance.',
    out_5: 'For PDF card bills and statements, a check of the rows against the total or the balance the bank printed.',
    priv_title: 'Privacy, no fine print',
    priv_1: 'No signup, no e-mail, no bank password. You only upload the file you already downloaded.',
    priv_2: 'Every visitor gets an anonymous session (a cookie); nobody else can see your files.',
    priv_3: 'The uploaded file and the generated spreadsheet are deleted from the server one hour after you download them — and, even without a download, when the session expires, 24 hours after it was created.',
    cta_title: 'Ready to try it with your own statement?',
    cta_button: 'Convert my statement',
    footer: 'bankflow — converter for Brazilian bank statements.',
    footer_demo: 'Convert a file',
    footer_api: 'List of banks (JSON)',
    footer_home: 'Home page',
    footer_banks: 'Supported banks',
    demo_title: 'Convert a statement or card bill',
    demo_lead: 'Upload the file exported by your bank (OFX, OFC, CSV, TXT, Excel XLS/XLSX, or the bank’s own PDF statements and card bills). We detect the bank ourselves, check a PDF’s rows against the total the bank printed, and you download the spreadsheet right after.',
    upload_title: 'Upload a file',
    drop_title: 'Drag the file here or',
    drop_button: 'Choose file',
    drop_hint: 'OFX, OFC, CSV, TXT, XLS, XLSX or the bank’s own PDF · up to 10 MB',
    rules_summary: 'Your own category rules (optional)',
    rules_label: 'Rules file (JSON)',
    rules_hint: 'Your rules come before ours: the first one that matches a row gives its category. The format is that of “bankflow rules test” (see “Categories and rules” in the README).',
    upload_progress: 'Upload progress',
    dismiss: 'Close',
    privacy_note: 'No signup. Only you, in this anonymous session, can see your files. They are deleted from the server one hour after download and, in any case, within 24 hours at most.',
    jobs_title: 'Your files',
    jobs_sub: 'Updates by itself while we process.',
    jobs_empty: 'No file uploaded in this session yet. Why not start with last month’s statement?',
    nav_account_menu: 'Your account',
    nav_wallet: 'My wallet',
    nav_statements: 'My statements',
    nav_keys: 'API keys',
    nav_settings: 'My account',
    nav_ops: 'Operator',
    logout: 'Log out',
    logout_all: 'Log out on every device',
    load_more: 'Load more',
    col_when: 'Date'
  };

  /* Strings used by scripts: {pt, en}. {name} placeholders are filled by t(key, vars). */
  var DYN = {
    lang_switch: { pt: 'English', en: 'Português' },
    nav_login: { pt: 'Entrar', en: 'Log in' },
    nav_account: { pt: 'Minha conta', en: 'My account' },
    lang_switch_label: { pt: 'Read this page in English', en: 'Ler esta página em português' },
    brand_label: { pt: 'bankflow, página inicial', en: 'bankflow, home page' },
    banks_error: { pt: 'Não foi possível carregar a lista agora. Recarregue a página para tentar de novo.', en: 'The list could not be loaded right now. Reload the page to try again.' },
    banks_formats: { pt: 'Formatos', en: 'Formats' },
    banks_compe: { pt: 'Código {code}', en: 'Code {code}' },
    fmt_ofx: { pt: 'OFX', en: 'OFX' },
    fmt_ofc: { pt: 'OFC', en: 'OFC' },
    fmt_statement: { pt: 'Extrato {ext}', en: 'Statement {ext}' },
    fmt_bill: { pt: 'Fatura {ext}', en: 'Card bill {ext}' },
    fmt_generic_pdf: { pt: 'PDF (tabela genérica)', en: 'PDF (generic table)' },
    status_pending: { pt: 'Na fila', en: 'Queued' },
    status_processing: { pt: 'Processando', en: 'Processing' },
    status_completed: { pt: 'Pronto', en: 'Ready' },
    status_failed: { pt: 'Não foi possível converter', en: 'Could not convert' },
    status_uploading: { pt: 'Enviando', en: 'Uploading' },
    live_status: { pt: '{file}: {status}.', en: '{file}: {status}.' },
    live_done: { pt: '{file}: pronto, {count} lançamentos.', en: '{file}: ready, {count} transactions.' },
    live_upload_done: { pt: '{file} enviado. Processando…', en: '{file} uploaded. Processing…' },
    waiting: { pt: 'Aguardando a vez na fila…', en: 'Waiting in the queue…' },
    processing: { pt: 'Lendo o arquivo e reconhecendo o banco…', en: 'Reading the file and detecting the bank…' },
    bank: { pt: 'Banco', en: 'Bank' },
    bank_unknown: { pt: 'Banco não identificado (OFX)', en: 'Unidentified bank (OFX)' },
    confidence: { pt: 'confiança {pct}%', en: '{pct}% confidence' },
    transactions: { pt: 'Lançamentos', en: 'Transactions' },
    period: { pt: 'Período', en: 'Period' },
    period_none: { pt: 'sem lançamentos', en: 'no transactions' },
    format: { pt: 'Formato', en: 'Format' },
    opening: { pt: 'Saldo inicial', en: 'Opening balance' },
    closing: { pt: 'Saldo final', en: 'Closing balance' },
    due_date: { pt: 'Vencimento', en: 'Due date' },
    recon_ok_bill: { pt: 'Confere com o total da fatura ({printed})', en: 'Matches the bill total ({printed})' },
    recon_ok_statement: { pt: 'Confere com o saldo final do extrato ({printed})', en: 'Matches the statement’s closing balance ({printed})' },
    recon_mismatch_bill: { pt: 'Não confere: a fatura diz {printed}, as linhas somam {computed} (diferença {difference}). Nenhuma linha foi alterada.', en: 'Does not match: the bill says {printed}, the rows add up to {computed} (difference {difference}). No row was changed.' },
    recon_mismatch_statement: { pt: 'Não confere: o extrato diz saldo final de {printed}, as linhas levam a {computed} (diferença {difference}). Nenhuma linha foi alterada.', en: 'Does not match: the statement says a closing balance of {printed}, the rows lead to {computed} (difference {difference}). No row was changed.' },
    recon_mismatch_help: { pt: 'Confira o PDF original antes de usar a planilha: algum lançamento pode ter ficado de fora ou sido lido a mais. A planilha traz as linhas exatamente como foram lidas.', en: 'Check the original PDF before using the spreadsheet: a transaction may have been missed or read twice. The spreadsheet holds the rows exactly as they were read.' },
    recon_not_printed_bill: { pt: 'A fatura não traz um total impresso para conferir as linhas.', en: 'The bill prints no total to check the rows against.' },
    recon_not_printed_statement: { pt: 'O extrato não traz um saldo final impresso para conferir as linhas.', en: 'The statement prints no closing balance to check the rows against.' },
    recon_cards: { pt: 'Conferência por cartão', en: 'Check per card' },
    recon_card: { pt: 'Cartão final {account}', en: 'Card ending {account}' },
    recon_card_ok: { pt: 'confere ({printed})', en: 'matches ({printed})' },
    recon_card_mismatch: { pt: 'não confere: impresso {printed}, linhas {computed}', en: 'does not match: printed {printed}, rows {computed}' },
    recon_card_not_printed: { pt: 'sem total impresso', en: 'no printed total' },
    live_recon_mismatch: { pt: '{file}: atenção, as linhas não conferem com o total impresso.', en: '{file}: warning, the rows do not match the printed total.' },
    preview_caption: { pt: 'Primeiros {n} de {total} lançamentos', en: 'First {n} of {total} transactions' },
    preview_caption_all: { pt: 'Todos os {total} lançamentos', en: 'All {total} transactions' },
    preview_loading: { pt: 'Carregando a prévia…', en: 'Loading the preview…' },
    preview_error: { pt: 'A prévia não está disponível, mas os downloads funcionam.', en: 'The preview is not available, but the downloads work.' },
    col_date: { pt: 'Data', en: 'Date' },
    col_description: { pt: 'Descrição', en: 'Description' },
    col_amount: { pt: 'Valor', en: 'Amount' },
    col_balance: { pt: 'Saldo', en: 'Balance' },
    col_kind: { pt: 'Tipo', en: 'Type' },
    col_category: { pt: 'Categoria', en: 'Category' },
    kind_pix: { pt: 'PIX', en: 'PIX' },
    kind_ted: { pt: 'TED', en: 'TED' },
    kind_doc: { pt: 'DOC', en: 'DOC' },
    kind_tef: { pt: 'Transferência', en: 'Transfer' },
    kind_boleto: { pt: 'Boleto', en: 'Boleto' },
    kind_card_purchase: { pt: 'Compra no cartão', en: 'Card purchase' },
    kind_card_payment: { pt: 'Pagamento de fatura', en: 'Card bill payment' },
    kind_debit_card: { pt: 'Débito', en: 'Debit card' },
    kind_withdrawal: { pt: 'Saque', en: 'Withdrawal' },
    kind_deposit: { pt: 'Depósito', en: 'Deposit' },
    kind_salary: { pt: 'Salário', en: 'Salary' },
    kind_yield: { pt: 'Rendimento', en: 'Yield' },
    kind_investment: { pt: 'Aplicação', en: 'Investment' },
    kind_redemption: { pt: 'Resgate', en: 'Redemption' },
    kind_fee: { pt: 'Tarifa', en: 'Fee' },
    kind_tax: { pt: 'Imposto', en: 'Tax' },
    kind_interest: { pt: 'Juros', en: 'Interest' },
    kind_refund: { pt: 'Estorno', en: 'Refund' },
    kind_loan: { pt: 'Empréstimo', en: 'Loan' },
    kind_direct_debit: { pt: 'Débito automático', en: 'Direct debit' },
    kind_other: { pt: 'Outro', en: 'Other' },
    installment_of: { pt: 'parcela {n}/{count}', en: 'instalment {n}/{count}' },
    download_csv: { pt: 'Baixar CSV', en: 'Download CSV' },
    download_excel: { pt: 'CSV para Excel', en: 'CSV for Excel' },
    download_xlsx: { pt: 'Excel (.xlsx)', en: 'Excel (.xlsx)' },
    download_json: { pt: 'JSON', en: 'JSON' },
    download_label: { pt: 'Baixar {file} como {kind}', en: 'Download {file} as {kind}' },
    downloads: { pt: 'Downloads', en: 'Downloads' },
    downloaded_note: { pt: 'Download iniciado. Por segurança, os arquivos deste envio serão apagados do servidor em uma hora.', en: 'Download started. For your safety, this upload’s files will be deleted from the server in one hour.' },
    uploaded_at: { pt: 'Enviado às {time}', en: 'Uploaded at {time}' },
    details: { pt: 'Detalhes técnicos', en: 'Technical details' },
    try_again: { pt: 'Enviar outro arquivo', en: 'Upload another file' },
    skip_offer: { pt: 'Converter ignorando as linhas com erro', en: 'Convert, leaving out the rows with errors' },
    skip_offer_text: { pt: 'As outras linhas podem ser convertidas: as que têm erro ficam de fora e são listadas no resultado.', en: 'The other rows can be converted: the ones with errors are left out and listed in the result.' },
    pdf_password_label: { pt: 'Senha do PDF', en: 'PDF password' },
    pdf_password_hint: { pt: 'Os bancos costumam usar dígitos do CPF do titular. A senha não é guardada: vai só com este envio, para abrir o arquivo.', en: 'Banks usually use digits of the holder’s CPF. The password is not stored: it goes with this upload only, to open the file.' },
    pdf_password_submit: { pt: 'Abrir com a senha', en: 'Open with the password' },
    pdf_password_pick: { pt: 'Escolher o PDF e abrir', en: 'Choose the PDF and open it' },
    pdf_password_empty: { pt: 'Digite a senha do PDF.', en: 'Type the PDF’s password.' },
    pdf_password_wrong: { pt: 'Senha incorreta: o PDF não abriu com ela. Confira e tente de novo.', en: 'Wrong password: the PDF did not open with it. Check it and try again.' },
    skipped_one: { pt: '1 linha com erro ficou de fora', en: '1 row with an error was left out' },
    skipped_many: { pt: '{n} linhas com erro ficaram de fora', en: '{n} rows with errors were left out' },
    skipped_help: { pt: 'Confira essas linhas no extrato original: elas não estão na planilha. O JSON lista cada uma em “skipped_rows”.', en: 'Check these rows in the original statement: they are not in the spreadsheet. The JSON lists each one under “skipped_rows”.' },
    skipped_list: { pt: 'Linhas ignoradas', en: 'Rows left out' },
    skipped_line: { pt: 'Linha {n}', en: 'Line {n}' },

    err_too_big_title: { pt: 'Arquivo grande demais', en: 'File too large' },
    err_too_big_text: { pt: '“{file}” tem {size}; o limite é 10 MB.', en: '“{file}” is {size}; the limit is 10 MB.' },
    err_too_big_help: { pt: 'Exporte um período menor no seu banco (por exemplo, um mês de cada vez) e envie cada arquivo.', en: 'Export a shorter period from your bank (for example, one month at a time) and upload each file.' },
    err_empty_title: { pt: 'O arquivo está vazio', en: 'The file is empty' },
    err_empty_text: { pt: '“{file}” não tem nenhum conteúdo.', en: '“{file}” has no content.' },
    err_empty_help: { pt: 'Exporte o extrato de novo no seu banco e confira se o período escolhido tem lançamentos.', en: 'Export the statement from your bank again and check that the period you chose has transactions.' },
    err_scanned_title: { pt: 'Este PDF é uma imagem escaneada', en: 'This PDF is a scanned image' },
    err_scanned_text: { pt: '“{file}” é um scan ou uma foto do documento, sem o texto do banco: os valores não podem ser lidos com segurança.', en: '“{file}” is a scan or a photo of the document, without the bank’s text: its amounts cannot be read reliably.' },
    err_scanned_help: { pt: 'Baixe o PDF digital no app ou internet banking do banco (não escaneie nem fotografe o papel), ou exporte o extrato em CSV ou OFX, e envie esse arquivo.', en: 'Download the digital PDF from the bank’s app or internet banking (do not scan or photograph the paper), or export the statement as CSV or OFX, and upload that file.' },
    err_not_statement_title: { pt: 'Este PDF não é um extrato nem uma fatura', en: 'This PDF is not a statement or a card bill' },
    err_not_statement_text: { pt: '“{file}” não tem lançamentos com data e valor de uma conta ou de um cartão (pode ser um informe, um comprovante ou um contrato).', en: '“{file}” holds no dated transactions with amounts from an account or a card (it may be a report, a receipt or a contract).' },
    err_not_statement_help: { pt: 'Envie o extrato da conta ou a fatura do cartão, em PDF do próprio banco, CSV ou OFX.', en: 'Upload the account statement or the card bill, as the bank’s own PDF, CSV or OFX.' },
    err_pdf_unknown_text: { pt: '“{file}” é um PDF de um banco ou de um modelo que ainda não lemos.', en: '“{file}” is a PDF from a bank or a layout we do not read yet.' },
    err_pdf_unknown_help: { pt: 'Exporte o extrato ou a fatura em OFX ou CSV no app ou internet banking do banco: OFX funciona para qualquer banco.', en: 'Export the statement or the card bill as OFX or CSV from the bank’s app or internet banking: OFX works for any bank.' },
    err_pdf_encrypted_title: { pt: 'O PDF tem senha', en: 'The PDF is password-protected' },
    err_pdf_encrypted_text: { pt: '“{file}” está protegido por senha, como muitos bancos enviam faturas e extratos.', en: '“{file}” is protected by a password, as many banks send their bills and statements.' },
    err_pdf_encrypted_help: { pt: 'Digite a senha abaixo para abrir o arquivo.', en: 'Type the password below to open the file.' },
    err_pdf_encrypted_help_reupload: { pt: 'Digite a senha abaixo e escolha o mesmo PDF de novo para abri-lo.', en: 'Type the password below and choose the same PDF again to open it.' },
    err_pdf_wrong_title: { pt: 'Senha do PDF incorreta', en: 'Wrong PDF password' },
    err_pdf_wrong_text: { pt: '“{file}” não abriu com a senha digitada.', en: '“{file}” did not open with the password typed.' },
    err_pdf_wrong_help: { pt: 'Confira a senha e digite de novo abaixo.', en: 'Check the password and type it again below.' },
    err_pdf_damaged_text: { pt: '“{file}” está incompleto ou corrompido: o PDF não pode ser aberto.', en: '“{file}” is incomplete or corrupt: the PDF cannot be opened.' },
    err_pdf_limit_text: { pt: '“{file}” passa dos limites de segurança para PDF (número de páginas, memória ou tempo de leitura).', en: '“{file}” goes past the safety limits for a PDF (number of pages, memory or reading time).' },
    err_pdf_limit_help: { pt: 'Baixe no banco um período menor (por exemplo, um mês de cada vez) e envie cada arquivo.', en: 'Download a shorter period from the bank (for example, one month at a time) and upload each file.' },
    err_sheet_title: { pt: 'Esta planilha não pode ser lida', en: 'This spreadsheet cannot be read' },
    err_sheet_text: { pt: '“{file}” é uma planilha ou documento em um formato que não lemos (Excel 95, Word, OpenDocument ou Numbers).', en: '“{file}” is a spreadsheet or document in a format we do not read (Excel 95, Word, OpenDocument or Numbers).' },
    err_sheet_help: { pt: 'Envie a planilha como o banco a exportou (XLS ou XLSX), ou exporte o extrato em OFX ou CSV. Se você só tem este arquivo, abra-o e use “Salvar como” → “Pasta de Trabalho do Excel (.xlsx)”.', en: 'Upload the workbook as the bank exported it (XLS or XLSX), or export the statement as OFX or CSV. If this file is all you have, open it and use “Save as” → “Excel Workbook (.xlsx)”.' },
    err_encrypted_title: { pt: 'A planilha tem senha', en: 'The workbook is password-protected' },
    err_encrypted_text: { pt: '“{file}” está protegida por senha (o C6 Bank, por exemplo, envia assim).', en: '“{file}” is protected by a password (C6 Bank, for one, sends it that way).' },
    err_encrypted_help: { pt: 'Abra a planilha no Excel ou LibreOffice com a senha e salve uma cópia sem senha, ou exporte o extrato em CSV ou OFX, que vêm sem senha.', en: 'Open the workbook in Excel or LibreOffice with its password and save a copy without one, or export the statement as CSV or OFX, which come without a password.' },
    err_damaged_title: { pt: 'O arquivo está danificado', en: 'The file is damaged' },
    err_damaged_text: { pt: '“{file}” está incompleto ou corrompido: a planilha não pode ser aberta.', en: '“{file}” is incomplete or corrupt: the workbook cannot be opened.' },
    err_damaged_help: { pt: 'Baixe o arquivo de novo no site ou aplicativo do banco e envie a cópia nova, sem abrir e salvar antes.', en: 'Download the file again from the bank’s site or app and upload the new copy, without opening and saving it first.' },
    err_limit_title: { pt: 'O arquivo foi recusado por segurança', en: 'The file was refused for safety' },
    err_limit_text: { pt: '“{file}” se expande muito além do tamanho de um extrato ou traz uma declaração que os bancos nunca usam.', en: '“{file}” expands far beyond the size of a statement or carries a declaration banks never use.' },
    err_noworksheet_title: { pt: 'A planilha não tem lançamentos', en: 'The workbook holds no transactions' },
    err_noworksheet_text: { pt: '“{file}” não tem nenhuma aba com células (só gráficos, macros ou nada).', en: '“{file}” has no sheet with cells (only charts, macros or nothing).' },
    err_noworksheet_help: { pt: 'Exporte o extrato de novo no banco, em Excel, CSV ou OFX.', en: 'Export the statement again from the bank, as Excel, CSV or OFX.' },
    err_image_title: { pt: 'Isso é uma imagem', en: 'This is an image' },
    err_image_text: { pt: '“{file}” é uma foto ou print de tela. Não lemos imagens: precisamos do arquivo com os dados do extrato.', en: '“{file}” is a photo or a screenshot. We do not read images: we need the file with the statement data.' },
    err_image_help: { pt: 'No app ou internet banking, abra o extrato e procure “Exportar” ou “Salvar arquivo”, escolhendo OFX ou CSV, ou baixe o PDF do próprio banco. Depois envie esse arquivo aqui.', en: 'In the bank’s app or internet banking, open the statement and look for “Export” or “Save file”, choosing OFX or CSV, or download the bank’s own PDF. Then upload that file here.' },
    err_zip_title: { pt: 'Arquivo compactado', en: 'Compressed file' },
    err_zip_text: { pt: '“{file}” é um arquivo compactado (ZIP).', en: '“{file}” is a compressed (ZIP) file.' },
    err_zip_help: { pt: 'Descompacte-o no seu computador ou celular e envie o arquivo OFX, CSV ou TXT que estiver dentro.', en: 'Unzip it on your computer or phone and upload the OFX, CSV or TXT file inside.' },
    err_container_title: { pt: 'Este tipo de arquivo não é aceito', en: 'This kind of file is not accepted' },
    err_container_text: { pt: '“{file}” não é um extrato em texto (OFX, CSV ou TXT), Excel ou PDF do banco.', en: '“{file}” is not a text statement (OFX, CSV or TXT), Excel or a bank PDF.' },
    err_binary_title: { pt: 'O arquivo não é texto', en: 'The file is not text' },
    err_binary_text: { pt: '“{file}” parece ser um arquivo binário, e não um extrato exportado.', en: '“{file}” looks like a binary file, not an exported statement.' },
    err_unknown_title: { pt: 'Não reconhecemos este arquivo', en: 'We do not recognise this file' },
    err_unknown_text: { pt: '“{file}” não se parece com nenhum extrato ou fatura que conhecemos.', en: '“{file}” does not look like any statement or card bill we know.' },
    err_unknown_help: { pt: 'Envie o arquivo exatamente como o banco o exportou, sem abrir e salvar no Excel antes. Se o seu banco oferece OFX, prefira esse formato: ele funciona para qualquer banco.', en: 'Upload the file exactly as the bank exported it, without opening and saving it in Excel first. If your bank offers OFX, prefer that format: it works for any bank.' },
    err_parse_title: { pt: 'O arquivo tem um problema', en: 'The file has a problem' },
    err_parse_text: { pt: 'Reconhecemos o formato de “{file}”, mas uma linha não pôde ser lida com segurança.', en: 'We recognised the format of “{file}”, but a line could not be read safely.' },
    err_parse_help: { pt: 'Isso costuma acontecer quando o arquivo foi editado ou cortado. Baixe o extrato de novo no banco e envie sem alterar.', en: 'This usually happens when the file was edited or cut short. Download the statement from the bank again and upload it unchanged.' },
    err_rate_title: { pt: 'Limite de envios atingido', en: 'Upload limit reached' },
    err_rate_text: { pt: 'Esta sessão já enviou 10 arquivos na última hora.', en: 'This session has already uploaded 10 files in the last hour.' },
    err_rate_help: { pt: 'Tente de novo em {wait}. Os arquivos já convertidos continuam disponíveis abaixo.', en: 'Try again in {wait}. The files already converted are still available below.' },
    err_rate_help_nowait: { pt: 'Tente de novo mais tarde. Os arquivos já convertidos continuam disponíveis abaixo.', en: 'Try again later. The files already converted are still available below.' },
    err_session_title: { pt: 'Sua sessão expirou', en: 'Your session expired' },
    err_session_text: { pt: 'Por segurança, a sessão anônima foi renovada.', en: 'For your safety, the anonymous session was renewed.' },
    err_session_help: { pt: 'Recarregue a página e envie o arquivo de novo.', en: 'Reload the page and upload the file again.' },
    err_network_title: { pt: 'Sem conexão com o servidor', en: 'No connection to the server' },
    err_network_text: { pt: 'O envio de “{file}” não chegou ao fim.', en: 'The upload of “{file}” did not finish.' },
    err_network_help: { pt: 'Confira a sua internet e tente de novo.', en: 'Check your internet connection and try again.' },
    err_server_title: { pt: 'Algo deu errado do nosso lado', en: 'Something went wrong on our side' },
    err_server_text: { pt: 'Não conseguimos processar “{file}” agora.', en: 'We could not process “{file}” right now.' },
    err_server_help: { pt: 'Tente de novo em alguns minutos.', en: 'Try again in a few minutes.' },
    err_type_title: { pt: 'Tipo de arquivo não aceito', en: 'File type not accepted' },
    err_type_text: { pt: '“{file}” não é OFX, CSV, TXT, Excel nem PDF.', en: '“{file}” is not OFX, CSV, TXT, Excel or PDF.' },
    err_generic_help: { pt: 'Exporte o extrato no seu banco em OFX ou CSV e envie esse arquivo.', en: 'Export the statement from your bank as OFX or CSV and upload that file.' },
    session_expiry: { pt: 'Esta sessão termina em {when}; o que restar é apagado nessa hora.', en: 'This session ends on {when}; anything left is deleted then.' },
    minutes: { pt: '{n} min', en: '{n} min' },
    seconds: { pt: '{n} s', en: '{n} s' }
  };

  var ptFromPage = {};

  function fromQuery() {
    var m = /[?&]lang=(en|pt)\b/.exec(window.location.search);
    return m ? m[1] : null;
  }

  function stored() {
    try { return window.localStorage.getItem(STORAGE_KEY); } catch (e) { return null; }
  }

  function store(lang) {
    try { window.localStorage.setItem(STORAGE_KEY, lang); } catch (e) { /* private mode: ok */ }
  }

  var current = fromQuery() || stored() || 'pt';
  if (current !== 'en') current = 'pt';
  if (fromQuery()) store(current);

  var listeners = [];

  function fill(text, vars) {
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : all;
    });
  }

  /** The text of `key` in the current language, with {placeholders} filled from `vars`. */
  function t(key, vars) {
    var entry = DYN[key];
    var text;
    if (entry) text = entry[current] || entry.pt;
    else if (current === 'en' && EN[key]) text = EN[key];
    else text = ptFromPage[key] || key;
    return fill(text, vars);
  }

  var applied = false;

  function apply() {
    applied = true;
    var root = document.documentElement;
    root.lang = current === 'en' ? 'en' : 'pt-BR';
    var nodes = document.querySelectorAll('[data-i18n]');
    for (var i = 0; i < nodes.length; i++) {
      var el = nodes[i];
      var key = el.getAttribute('data-i18n');
      if (!(key in ptFromPage)) ptFromPage[key] = el.textContent;
      el.textContent = current === 'en' && EN[key] ? EN[key] : ptFromPage[key];
    }
    var labelled = document.querySelectorAll('[data-i18n-aria]');
    for (var j = 0; j < labelled.length; j++) {
      var k = labelled[j].getAttribute('data-i18n-aria');
      var ariaKey = 'aria:' + k;
      if (!(ariaKey in ptFromPage)) ptFromPage[ariaKey] = labelled[j].getAttribute('aria-label');
      labelled[j].setAttribute('aria-label', current === 'en' && EN[k] ? EN[k] : ptFromPage[ariaKey]);
    }
    var brands = document.querySelectorAll('.brand');
    for (var b = 0; b < brands.length; b++) brands[b].setAttribute('aria-label', t('brand_label'));
    var toggles = document.querySelectorAll('[data-lang-toggle]');
    for (var n = 0; n < toggles.length; n++) {
      var span = toggles[n].querySelector('span');
      span.textContent = t('lang_switch');
      span.lang = current === 'en' ? 'pt-BR' : 'en';
      toggles[n].setAttribute('aria-label', t('lang_switch_label'));
    }
    if (document.body) document.body.classList.toggle('lang-en', current === 'en');
    var titleKey = root.getAttribute('data-i18n-title');
    if (titleKey) {
      if (!(titleKey in ptFromPage)) ptFromPage[titleKey] = document.title;
      document.title = current === 'en' && EN[titleKey] ? EN[titleKey] : ptFromPage[titleKey];
    }
  }

  function setLang(lang) {
    current = lang === 'en' ? 'en' : 'pt';
    store(current);
    apply();
    if (fromQuery() && window.history && window.history.replaceState) {
      var url = window.location.pathname + window.location.search.replace(/([?&])lang=(en|pt)&?/, '$1').replace(/[?&]$/, '') + window.location.hash;
      window.history.replaceState(null, '', url);
    }
    for (var i = 0; i < listeners.length; i++) listeners[i](current);
  }

  function init() {
    apply();
    var toggles = document.querySelectorAll('[data-lang-toggle]');
    for (var i = 0; i < toggles.length; i++) {
      toggles[i].addEventListener('click', function () { setLang(current === 'en' ? 'pt' : 'en'); });
    }
  }

  /** Adds a page's strings: `en` for its data-i18n elements, `dyn` ({pt, en}) for its scripts;
   * the page is translated again if it already was. */
  function add(en, dyn) {
    Object.keys(en || {}).forEach(function (k) { EN[k] = en[k]; });
    Object.keys(dyn || {}).forEach(function (k) { DYN[k] = dyn[k]; });
    if (applied) apply();
  }

  window.bankflowI18n = {
    t: t,
    add: add,
    lang: function () { return current; },
    locale: function () { return current === 'en' ? 'en-GB' : 'pt-BR'; },
    onChange: function (fn) { listeners.push(fn); },
    set: setLang
  };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
